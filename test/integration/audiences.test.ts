import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailTo, postEvents } from './helpers';

let runtime: LocalRuntime;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/audiences', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, logLevel: 'SILENT' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
});
afterAll(async () => runtime?.stop());

const profile = async (id: string) => (await (await fetch(`${runtime.apiUrl}/profiles/${id}`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { audiences: Record<string, string> };
const history = async (id: string) =>
  ((await doc.send(new QueryCommand({ TableName: LOCAL_TABLES.profiles, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)', ExpressionAttributeValues: { ':pk': `P#${id}`, ':e': 'E#' }, ConsistentRead: true }))).Items ?? []).map(
    (i) => (i.type === 'audience.entered' || i.type === 'audience.exited' ? `${i.type}:${(i.properties as { audience: string }).audience}` : i.type),
  );
const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

describe('audiences, streaming', () => {
  it('an event that changes the profile enters and exits audiences; the entry and the exit each start a journey', async () => {
    await postEvents(runtime, { id: 'ann-1', type: 'signed.up', profileId: 'u-ann', attributes: { email: 'ann@example.com', firstName: 'Ann', tier: 'gold' }, properties: {} });
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'ann@example.com');
      return m.length > 0 && m;
    });
    expect(mail!.subject).toBe('Welcome to VIP, Ann');
    expect(Object.keys((await profile('u-ann')).audiences)).toStrictEqual(['vip']);

    await postEvents(runtime, { id: 'ann-2', type: 'plan.changed', profileId: 'u-ann', attributes: { tier: 'silver' }, properties: {} });
    expect((await profile('u-ann')).audiences).toStrictEqual({});
    expect(await history('u-ann')).toStrictEqual(['signed.up', 'audience.entered:vip', 'plan.changed', 'audience.exited:vip']);
    await runtime.idle();
    expect((await mailTo(runtime, 'ann@example.com')).map((m) => m.subject)).toStrictEqual(['Welcome to VIP, Ann', 'Your VIP year, Ann']);
    // The same event again is a duplicate: no second entry, no second journey.
    await postEvents(runtime, { id: 'ann-1', type: 'signed.up', profileId: 'u-ann', attributes: { tier: 'gold' }, properties: {} });
    await runtime.idle();
    expect(await mailTo(runtime, 'ann@example.com')).toHaveLength(2);
  });

  it("a journey's updateProfile step is a profile change too: the audience entry starts another journey", async () => {
    await postEvents(runtime, { id: 'dee-1', type: 'review.written', profileId: 'u-dee', attributes: { email: 'dee@example.com', firstName: 'Dee' }, properties: { count: 10 } });
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'dee@example.com');
      return m.length > 0 && m;
    });
    expect(mail!.subject).toBe('Welcome to VIP, Dee');
    expect((await history('u-dee')).sort()).toStrictEqual(['audience.entered:vip', 'review.written']);
  });

  it('history conditions count events of a type in a window; an unrelated event evaluates nothing', async () => {
    const order = (id: string, at: string) => postEvents(runtime, { id, type: 'order.placed', profileId: 'u-ben', timestamp: at, properties: {} });
    await postEvents(runtime, { id: 'ben-0', type: 'signed.up', profileId: 'u-ben', attributes: { email: 'ben@example.com', firstName: 'Ben' }, properties: {} });
    await order('ben-1', days(-29.5));
    expect((await profile('u-ben')).audiences).toStrictEqual({});
    await order('ben-2', days(-29));
    expect(Object.keys((await profile('u-ben')).audiences)).toStrictEqual(['frequent-buyers']);
    await postEvents(runtime, { id: 'ben-3', type: 'page.viewed', profileId: 'u-ben', properties: {} });
    // History is kept in event-time order: the orders happened a month ago.
    expect(await history('u-ben')).toStrictEqual(['order.placed', 'order.placed', 'signed.up', 'audience.entered:frequent-buyers', 'page.viewed']);
  });

  it('the scheduled pass moves people whose window slid with no event: lapsed enters (a journey starts), frequent-buyers exits', async () => {
    const job = await runtime.audiencePass(days(2));
    expect(job).toMatchObject({ kind: 'pass', status: 'done' });
    expect(Object.keys((await profile('u-ben')).audiences)).toStrictEqual(['lapsed']);
    expect((await history('u-ben')).slice(-2).sort()).toStrictEqual(['audience.entered:lapsed', 'audience.exited:frequent-buyers']);
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'ben@example.com');
      return m.length > 0 && m;
    });
    expect(mail!.subject).toBe('We miss you, Ben');
    // A second pass at the same time changes nothing.
    expect((await runtime.audiencePass(days(2))).count).toBe(0);
  });

  it('an audience of audiences follows the ones it refers to', async () => {
    // An order imported from two months ago: lapsed now, on the event itself.
    await postEvents(runtime, { id: 'cal-1', type: 'order.placed', profileId: 'u-cal', timestamp: days(-60), attributes: { email: 'cal@example.com' }, properties: {} });
    expect(Object.keys((await profile('u-cal')).audiences)).toStrictEqual(['lapsed']);
    await postEvents(runtime, { id: 'cal-2', type: 'plan.changed', profileId: 'u-cal', attributes: { tier: 'gold' }, properties: {} });
    expect(Object.keys((await profile('u-cal')).audiences).sort()).toStrictEqual(['lapsed', 'lapsed-vip', 'vip']);
  });
});
