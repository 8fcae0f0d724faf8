import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailbox, postEvents } from './helpers';
import { runReportSchema, campaignReportSchema } from '../../functions/handlers/campaign-api/schema';

let runtime: LocalRuntime;
let doc: DynamoDBDocumentClient;
const CUSTOMERS = 40;
const customer = (i: number) => `c-${String(i).padStart(2, '0')}`;

beforeAll(async () => {
  // Waits at 1/100,000 (a day passes in under a second); the pace of sends stays real time.
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/campaigns', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.00001, audiencePassEveryMs: 0, campaignPageSize: 15, logLevel: 'SILENT' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  const events = Array.from({ length: CUSTOMERS }, (_, i) => ({
    id: `seed-${i}`,
    type: 'signed.up',
    profileId: customer(i),
    attributes: { email: `${customer(i)}@example.com`, firstName: `C${i}`, optedIn: i % 10 !== 9 },
    properties: {},
  }));
  for (let i = 0; i < events.length; i += 100) expect((await postEvents(runtime, { events: events.slice(i, i + 100) })).status).toBe(202);
});
afterAll(async () => runtime?.stop());

const members = Array.from({ length: CUSTOMERS }, (_, i) => i).filter((i) => i % 10 !== 9).map(customer);
const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const r = await fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const answer = { status: r.status, body: (await r.json()) as Record<string, any> };
  await runtime.queue.idle();
  return answer;
};
const report = async (campaign: string, runId: string) => (await api('GET', `/campaigns/${campaign}/runs/${runId}`)).body;
const finished = (campaign: string, runId: string) => eventually(async () => {
  const r = await report(campaign, runId);
  return ['done', 'cancelled', 'failed'].includes(r.status) && r;
}, 60_000);
const mailsWith = async (subject: RegExp) => (await mailbox(runtime)).filter((m) => subject.test(m.subject));
const ledger = async () => ((await doc.send(new ScanCommand({ TableName: LOCAL_TABLES.ledger }))).Items ?? []) as Array<{ pk: string; claimedAt: string; status: string }>;

describe('campaigns, in the local runtime', () => {
  it('a cron campaign fires and sends once per member; the same fire delivered twice sends nothing more', async () => {
    const at = new Date('2026-11-30T08:00:00Z');
    const runId = await runtime.fireCampaign('weekly-promo', at);
    await runtime.fireCampaign('weekly-promo', at); // a re-delivered schedule
    expect(await finished('weekly-promo', runId)).toMatchObject({ status: 'done', targeted: members.length, sent: members.length, failed: 0, trigger: 'schedule' });
    await runtime.idle();
    const mails = await mailsWith(/^This week at the store/);
    expect(mails.map((m) => m.destination.to[0]).sort()).toStrictEqual(members.map((m) => `${m}@example.com`));
  });

  it('an audience journey enrols every member', async () => {
    const { body } = await api('POST', '/campaigns/onboarding-wave/trigger', {});
    await finished('onboarding-wave', body.runId);
    await runtime.idle();
    const enrolled = [...runtime.stepFunctions.executions.values()].filter((e) => e.stateMachineArn.endsWith(':onboarding') && e.status === 'SUCCEEDED');
    expect(enrolled).toHaveLength(members.length);
    expect((await mailsWith(/^Getting started/)).length).toBe(members.length);
    // The run reports how many it enrolled, and as sent what the journey sent for it (not the enrolments).
    const run = runReportSchema.parse((await api('GET', `/campaigns/onboarding-wave/runs/${body.runId}`)).body);
    expect(run).toMatchObject({ targeted: members.length, enrolled: members.length, sent: members.length, failed: 0 });
  });

  it('an API-triggered campaign to a list renders its context; the same Idempotency-Key is the same run', async () => {
    const trigger = () => api('POST', '/campaigns/maintenance/trigger', { profileIds: ['c-01', 'c-02', 'nobody'], context: { attraction: 'The Big Wheel', until: 'Friday' } }, { 'idempotency-key': 'closure-1' });
    const first = await trigger();
    expect(first).toMatchObject({ status: 202, body: { runId: 'closure-1', replay: false } });
    // The same key again: the same run, said to be a replay; nothing is sent twice.
    expect(await trigger()).toMatchObject({ status: 200, body: { runId: 'closure-1', replay: true } });
    const done = await finished('maintenance', 'closure-1');
    expect(done).toMatchObject({ status: 'done', targeted: 2, sent: 2 });
    expect(runReportSchema.safeParse(done).error).toBeUndefined(); // the documented shape
    const mails = await mailsWith(/^The Big Wheel is closed today$/);
    expect(mails.map((m) => m.destination.to[0]).sort()).toStrictEqual(['c-01@example.com', 'c-02@example.com']);
    expect(mails[0]!.body.text).toContain('closed for maintenance until Friday');
    // The campaign's report: its runs from their batches.
    const { body: campaignReport } = await api('GET', '/campaigns/maintenance/report');
    expect(campaignReportSchema.parse(campaignReport)).toMatchObject({ campaign: 'maintenance', totals: { runs: 1, targeted: 2, sent: 2, skipped: {}, failed: 0 }, runs: [{ runId: 'closure-1', status: 'done', sent: 2 }] });
    // Bad input is a 400 naming the field; an unknown campaign a 404.
    expect((await api('POST', '/campaigns/maintenance/trigger', {})).body.issues).toStrictEqual([{ path: 'profileIds', message: 'required: this campaign has no audience' }]);
    expect((await api('POST', '/campaigns/maintenance/trigger', { profileIds: 'c-01' })).body.issues[0].path).toBe('profileIds');
    expect((await api('POST', '/campaigns/nope/trigger', {})).status).toBe(404);
    // The Idempotency-Key rule of /events: any key it takes, the trigger takes (the run is named by its hash).
    const dotted = await api('POST', '/campaigns/maintenance/trigger', { profileIds: ['nobody'] }, { 'idempotency-key': 'ops@example.com:2026-11-29' });
    expect(dotted).toMatchObject({ status: 202, body: { runId: expect.stringMatching(/^key-[0-9a-f]{40}$/), replay: false } });
    expect((await api('POST', '/campaigns/maintenance/trigger', { profileIds: ['nobody'] }, { 'idempotency-key': 'not valid!' })).body.issues).toStrictEqual([
      { path: 'idempotency-key', message: 'must be 1-128 characters of letters, digits and ._:@+-' },
    ]);
  });

  it('keeps its rate limit of 20 a second, measured from the send ledger', async () => {
    await api('POST', '/campaigns/slow-promo/trigger', {}, { 'idempotency-key': 'rate-run' });
    expect(await finished('slow-promo', 'rate-run')).toMatchObject({ status: 'done', sent: members.length });
    const times = (await ledger())
      .filter((e) => e.pk.startsWith('campaign:slow-promo:rate-run:'))
      .map((e) => Date.parse(e.claimedAt))
      .sort((a, b) => a - b);
    expect(times).toHaveLength(members.length);
    // Claims are taken just before each send: in no one-second window more than 20 (one of slack for clock rounding).
    const busiest = Math.max(...times.map((t, i) => times.filter((u, j) => j >= i && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(21);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(((members.length - 1) / 20) * 1000 * 0.9);
  });

  it('a run interrupted half-way, then restarted, sends each profile once', async () => {
    const { body } = await api('POST', '/campaigns/slow-promo/trigger', {});
    const runId = body.runId as string;
    const sentSoFar = async () => (await ledger()).filter((e) => e.pk.startsWith(`campaign:slow-promo:${runId}:`));
    await eventually(async () => (await sentSoFar()).length >= 10);
    // Interrupt: the execution dies mid-batch; then the run starts again (a new execution of the same run).
    const execution = runtime.stepFunctions.run(runId)!;
    await runtime.stepFunctions.stop(execution.executionArn);
    const atStop = (await sentSoFar()).length;
    expect(atStop).toBeLessThan(members.length);
    await runtime.stepFunctions.start({ stateMachineArn: execution.stateMachineArn, name: `${runId}-again`, input: { campaignId: 'slow-promo', runId } });
    expect(await finished('slow-promo', runId)).toMatchObject({ status: 'done', targeted: members.length, sent: members.length });
    await runtime.idle();

    expect(await sentSoFar()).toHaveLength(members.length); // one ledger entry per profile, whatever the restarts
    // Each member got exactly one email from this run: the weekly run's, the rate run's, and this one's.
    const promos = (await mailsWith(/^This week at the store/)).map((m) => m.destination.to[0]);
    for (const m of members) expect(promos.filter((to) => to === `${m}@example.com`)).toHaveLength(3);
  });

  it('pause holds the sends, resume finishes them, cancel ends a run', async () => {
    const { body } = await api('POST', '/campaigns/slow-promo/trigger', {}, { 'idempotency-key': 'paused-run' });
    const sent = async () => (await ledger()).filter((e) => e.pk.startsWith('campaign:slow-promo:paused-run:')).length;
    await eventually(async () => (await sent()) >= 5);
    expect((await api('POST', `/campaigns/slow-promo/runs/${body.runId}/pause`)).body.status).toBe('paused');
    await new Promise((r) => setTimeout(r, 300));
    const held = await sent();
    await new Promise((r) => setTimeout(r, 500));
    expect(await sent()).toBe(held);
    expect((await report('slow-promo', 'paused-run')).status).toBe('paused');
    expect((await api('POST', `/campaigns/slow-promo/runs/${body.runId}/resume`)).body.status).toBe('running');
    expect(await finished('slow-promo', 'paused-run')).toMatchObject({ status: 'done', sent: members.length });

    await api('POST', '/campaigns/slow-promo/trigger', {}, { 'idempotency-key': 'cancelled-run' });
    await eventually(async () => (await ledger()).some((e) => e.pk.startsWith('campaign:slow-promo:cancelled-run:')));
    expect((await api('POST', '/campaigns/slow-promo/runs/cancelled-run/cancel')).body.status).toBe('cancelled');
    const ended = await finished('slow-promo', 'cancelled-run');
    expect(ended.status).toBe('cancelled');
    expect(ended.sent).toBeLessThan(members.length);
    expect((await api('POST', '/campaigns/slow-promo/runs/cancelled-run/resume')).status).toBe(409);
  });

  it('localTime: each profile gets it at 09:00 where they are', async () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
    await postEvents(runtime, { events: zones.map((timeZone, i) => ({ id: `tz-${i}`, type: 'prefs', profileId: `tz-${i}`, attributes: { email: `tz-${i}@example.com`, firstName: 'T', morning: true, timeZone }, properties: {} })) });
    const { body } = await api('POST', '/campaigns/morning/trigger', {});
    const done = await finished('morning', body.runId);
    expect(done).toMatchObject({ status: 'done', targeted: 3, sent: 3 });
    expect(done.skipped).toStrictEqual({}); // a message sent is not also counted skipped
    expect(done.sendTimes).toHaveLength(3);
    for (const at of done.sendTimes as string[]) expect(new Date(at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // Each send time is 09:00 in exactly one of the zones, and every zone has its own.
    const nine = (at: string) => zones.filter((timeZone) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(at)) === '09:00');
    const matched = (done.sendTimes as string[]).map(nine);
    for (const m of matched) expect(m).toHaveLength(1);
    expect(matched.flat().sort()).toStrictEqual([...zones].sort());
    expect((await mailbox(runtime)).filter((m) => m.destination.to[0]!.startsWith('tz-'))).toHaveLength(3);
  });

  it('localDays: "Monday 18:00 local" lands on Monday 18:00 in Kiritimati, Honolulu, Paris and Tokyo, run as of a given instant', async () => {
    const zones = { 'Pacific/Kiritimati': '2026-11-23T04:00:00Z', 'Pacific/Honolulu': '2026-11-24T04:00:00Z', 'Europe/Paris': '2026-11-23T17:00:00Z', 'Asia/Tokyo': '2026-11-23T09:00:00Z' };
    await postEvents(runtime, { events: Object.keys(zones).map((timeZone, i) => ({ id: `mon-${i}`, type: 'prefs', profileId: `mon-${i}`, attributes: { email: `mon-${i}@example.com`, firstName: 'M', mondays: true, timeZone }, properties: {} })) });
    // Run as of Sunday 20:00 UTC: already Monday in Kiritimati and Tokyo, still Sunday in Paris and Honolulu.
    const { body } = await api('POST', '/campaigns/monday-evening/trigger', { at: '2026-11-22T20:00:00Z' });
    const done = await finished('monday-evening', body.runId);
    expect(done).toMatchObject({ status: 'done', targeted: 4, sent: 4, startedAt: '2026-11-22T20:00:00.000Z' });
    expect((done.sendTimes as string[]).map((t) => new Date(t).toISOString()).sort()).toStrictEqual(Object.values(zones).map((t) => new Date(t).toISOString()).sort());
  });
});
