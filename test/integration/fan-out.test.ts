import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailbox, postEvents, scanTable } from './helpers';

// Fan-out by correlation: one catalog event (item.restocked {sku}) enters the profiles that viewed the sku in the
// last 30 days, found through the interest index the views wrote as they were applied.
let runtime: LocalRuntime;
const day = 86_400_000;
const id = (group: string, i: number) => `${group}-${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/fanout', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, campaignPageSize: 500, logLevel: 'SILENT' });
  const view = (profileId: string, sku: string, daysAgo: number) => ({ id: `view-${profileId}`, type: 'product.viewed', profileId, timestamp: new Date(Date.now() - daysAgo * day).toISOString(), attributes: { email: `${profileId}@example.com`, firstName: 'V' }, properties: { sku } });
  // 1,000 viewed S-1 within 30 days; 500 viewed it 45 days ago; 500 viewed another sku yesterday.
  const views = [
    ...Array.from({ length: 1000 }, (_, i) => view(id('fan', i), 'S-1', (i % 29) + 0.5)),
    ...Array.from({ length: 500 }, (_, i) => view(id('old', i), 'S-1', 45)),
    ...Array.from({ length: 500 }, (_, i) => view(id('other', i), 'S-2', 1)),
  ];
  for (let i = 0; i < views.length; i += 100) expect((await postEvents(runtime, { events: views.slice(i, i + 100) })).status).toBe(202);
}, 180_000);
afterAll(async () => runtime?.stop());

const catalog = async (body: unknown) => {
  const r = await fetch(`${runtime.apiUrl}/catalog/events`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as { runs: Array<{ runId: string; replay: boolean; journey: string }>; issues?: unknown } };
};

describe('fan-out by correlation, in the local runtime', () => {
  it('one item.restocked reaches the 1,000 who viewed the sku in 30 days, each once, even delivered twice', async () => {
    const restock = { id: 'restock-1', type: 'item.restocked', properties: { sku: 'S-1', name: 'Fjell sweater' } };
    const first = await catalog(restock);
    expect(first).toMatchObject({ status: 202, body: { runs: [{ journey: 'restock-alert', replay: false }] } });
    const again = await catalog(restock);
    expect(again.body.runs).toStrictEqual([{ ...first.body.runs[0], replay: true }]);
    const runId = first.body.runs[0]!.runId;
    const run = await eventually(async () => {
      const r = (await (await fetch(`${runtime.apiUrl}/campaigns/fanout-restock-alert/runs/${runId}`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { status: string; targeted: number; enrolled: number };
      return r.status === 'done' && r;
    }, 90_000);
    expect(run).toMatchObject({ targeted: 1000, enrolled: 1000 });
    await runtime.idle();
    const mails = (await mailbox(runtime)).filter((m) => m.subject === 'Fjell sweater is back in stock');
    const to = mails.map((m) => m.destination.to[0]!.split('@')[0]!).sort();
    expect(to).toStrictEqual(Array.from({ length: 1000 }, (_, i) => id('fan', i)));
    expect(mails[0]!.body.text).toContain('the Fjell sweater (S-1) you looked at is back');
  }, 240_000);

  it('erasure removes the interests a person\'s views left in the index', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    const interests = async (profile: string) => (await scanTable(doc, LOCAL_TABLES.profiles)).filter((i) => String(i.pk).startsWith('FX#') && i.sk === profile);
    expect(await interests('fan-0001')).toHaveLength(1);
    const erased = await fetch(`${runtime.apiUrl}/profiles/fan-0001`, { method: 'DELETE', headers: { authorization: `Bearer ${runtime.apiKey}` } });
    expect(erased.status).toBe(200);
    expect(await interests('fan-0001')).toStrictEqual([]);
  });

  it('refuses a catalog event without a type, naming the field; one with no fan-out on its type starts nothing', async () => {
    expect(await catalog({ id: 'x', properties: {} })).toMatchObject({ status: 400 });
    expect(await catalog({ id: 'y', type: 'item.discontinued', properties: { sku: 'S-1' } })).toMatchObject({ status: 202, body: { runs: [] } });
  });
});
