import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { interestKey, interestRefKey } from '../functions/adapters/dynamodb-tables';
import { LOCAL_TABLES, EMBEDDED, startLocalRuntime } from '../local/runtime';
import { batchWrite, round, runFinished } from './measure';

// Fan-out by correlation, locally: one catalog event (item.restocked) to the profiles that viewed its sku, each
// entering a journey that emails them, against a campaign emailing the same profiles (the baseline, in the same
// run). The profiles and their interests are written straight into the table (what applying their views would
// have written): this measures the fan-out, not the ingest.

export async function fanOutFigures(profiles = Number(process.env.BENCH_FANOUT_PROFILES ?? 10_000)) {
  const runtime = await startLocalRuntime({ ...EMBEDDED, workspace: 'test/fixtures/workspaces/fanout' });
  try {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('../local/emulators');
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    const at = new Date().toISOString();
    const expiresAt = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const items = (i: number) => {
      const id = `v-${i}`;
      return [
        { pk: `P#${id}`, sk: 'PROFILE', id, attributes: { email: `${id}@example.com`, firstName: 'V' }, attributeTimes: {}, identities: [`userId:${id}`], createdAt: at, updatedAt: at, version: 1 },
        { ...interestKey('restock-alert', 'S-1', id), at, expiresAt },
        { ...interestRefKey('restock-alert', 'S-1', id), member: id, expiresAt },
      ];
    };
    const all = Array.from({ length: profiles }, (_, i) => items(i)).flat();
    for (let i = 0; i < all.length; i += 25) await batchWrite(doc, LOCAL_TABLES.profiles, all.slice(i, i + 25));
    const call = async (path: string, body: unknown) => (await (await fetch(`${runtime.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, any>;
    const done = (campaign: string, runId: string) => runFinished<{ status: string; sent: number; enrolled?: number; targeted: number }>(runtime, campaign, runId);
    const mails = async () => ((await (await fetch(`${runtime.mailUrl}/store`)).json()) as { emails: unknown[] }).emails.length;

    // The fan-out: from the catalog event to the last journey's email.
    const fanOutStart = performance.now();
    const { runs } = await call('/catalog/events', { id: 'bench-restock', type: 'item.restocked', properties: { sku: 'S-1', name: 'Bench sweater' } });
    const fanOut = await done('fanout-restock-alert', runs[0].runId);
    if (process.env.BENCH_DEBUG) for (const e of runtime.stepFunctions.executions.values()) if (e.status === 'FAILED' || (e.name.startsWith('fx-'))) console.log('DEBUG', e.name.slice(0, 20), e.status, JSON.stringify(e.error), e.states.slice(-12).join(' '), JSON.stringify((e.output as { held?: unknown } | undefined)?.held ?? e.output)?.slice(0, 900));
    await runtime.idle();
    const fanOutMs = performance.now() - fanOutStart;
    const fanOutMails = await mails();

    // The baseline: a campaign emailing the same profiles directly.
    const campaignStart = performance.now();
    const { runId } = await call('/campaigns/everyone/trigger', { context: { name: 'Bench sweater', sku: 'S-1' } });
    const campaign = await done('everyone', runId);
    const campaignMs = performance.now() - campaignStart;
    return {
      profiles,
      fanOut: { status: fanOut.status, targeted: fanOut.targeted, entered: fanOut.enrolled, emails: fanOutMails, seconds: round(fanOutMs / 1000, 1), profilesPerSecond: Math.round(profiles / (fanOutMs / 1000)) },
      campaign: { sent: campaign.sent, seconds: round(campaignMs / 1000, 1), profilesPerSecond: Math.round(profiles / (campaignMs / 1000)) },
      fanOutOverCampaign: round(fanOutMs / campaignMs, 2),
    };
  } finally {
    await runtime.stop();
  }
}
