import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbProfileStore } from '../../functions/adapters/dynamodb-profiles';
import { DynamoDbIdentityStore } from '../../functions/adapters/dynamodb-identities';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, postEvents, mailTo } from './helpers';

let runtime: LocalRuntime;
let doc: DynamoDBDocumentClient;
let profiles: DynamoDbProfileStore;
let identities: DynamoDbIdentityStore;

beforeAll(async () => {
  // PT1H waits last 36 s: far longer than these tests take to send the awaited event.
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/identity', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.01, logLevel: 'SILENT' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  profiles = new DynamoDbProfileStore(doc, LOCAL_TABLES.profiles);
  identities = new DynamoDbIdentityStore(doc, LOCAL_TABLES.profiles);
});
afterAll(async () => runtime?.stop());

let seq = 0;
async function segment(path: 'track' | 'identify' | 'alias', message: Record<string, unknown>) {
  const response = await fetch(`${runtime.apiUrl}/v1/${path}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${runtime.apiKey}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messageId: `m-${(seq += 1)}-${path}`, ...message }),
  });
  expect(response.status).toBe(200);
  await runtime.queue.idle();
}

const partition = async (pk: string) =>
  ((await doc.send(new QueryCommand({ TableName: LOCAL_TABLES.profiles, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? []) as Array<Record<string, unknown>>;

describe('identity stitching, in the local runtime', () => {
  it('lists an anonymous profile\'s anonymousId once, whether the event names it or not', async () => {
    const response = await postEvents(runtime, { id: 'anon-once-1', type: 'page.viewed', identities: { anonymousId: 'a-once' }, properties: {} });
    expect(response.status).toBe(202);
    await runtime.idle();
    expect((await profiles.get('anonymous:a-once'))!.identities).toStrictEqual(['anonymousId:a-once']);
  });

  it('anonymous browsing, then login: one profile, the history joined, the waiting journey follows the survivor', async () => {
    await segment('track', { anonymousId: 'a-ada', event: 'Product Viewed', properties: { sku: 'SW-1' } });
    await segment('identify', { anonymousId: 'a-ada', traits: { firstName: 'Ada' } });
    await segment('track', { anonymousId: 'a-ada', event: 'cart.abandoned', properties: {} });
    await eventually(async () => (await partition('W#anonymous:a-ada')).length === 1);

    // Login: the Segment SDK sends the userId with the anonymousId it had.
    await segment('identify', { userId: 'u-ada', anonymousId: 'a-ada', traits: { email: 'ada@example.com' } });

    const ada = (await profiles.get('u-ada'))!;
    expect(ada.attributes).toStrictEqual({ firstName: 'Ada', email: 'ada@example.com' });
    expect(ada.identities).toStrictEqual(['anonymousId:a-ada', 'email:ada@example.com', 'userId:u-ada']);
    expect(ada.mergedFrom).toStrictEqual(['anonymous:a-ada']);
    expect(await profiles.get('anonymous:a-ada')).toMatchObject({ mergedInto: 'u-ada', mergeDone: true, attributes: {}, identities: [] });
    for (const identity of ada.identities!) expect(await identities.owner(identity)).toBe('u-ada');
    // Everything under the anonymous profile moved: history, the waiting task; nothing is left behind.
    expect((await partition('P#u-ada')).filter((i) => String(i.sk).startsWith('E#')).map((i) => i.type)).toStrictEqual(['Product Viewed', 'identify', 'cart.abandoned', 'identify']);
    expect((await partition('P#anonymous:a-ada')).map((i) => i.sk)).toStrictEqual(['PROFILE']);
    expect(await partition('W#anonymous:a-ada')).toStrictEqual([]);
    expect(await partition('W#u-ada')).toHaveLength(1);

    // The journey entered anonymously resumes on the known profile's order, and sends to the known address.
    await segment('track', { userId: 'u-ada', event: 'order.placed', properties: { orderId: 'O-1' } });
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'ada@example.com');
      return m.length > 0 && m;
    });
    expect(mail!.subject).toBe('Thanks for your order, Ada');

    // Later events with only the anonymous id (an old tab) land on the known profile.
    await segment('track', { anonymousId: 'a-ada', event: 'Product Viewed', properties: { sku: 'SW-2' } });
    expect((await partition('P#u-ada')).filter((i) => String(i.sk).startsWith('E#'))).toHaveLength(6);
    expect((await partition('P#anonymous:a-ada')).map((i) => i.sk)).toStrictEqual(['PROFILE']);
  });

  it('concurrent merges: many logins and anonymous events at once end in one profile with everything', async () => {
    const anonymous = Array.from({ length: 6 }, (_, i) => `a-bob-${i}`);
    // Each device browses anonymously; all share the email, so they stitch to each other too.
    await Promise.all(anonymous.map((a, i) => segment('identify', { anonymousId: a, traits: { [`device${i}`]: true, email: 'bob@example.com' } })));
    // Logins from every device and more anonymous events, all at once.
    await Promise.all([
      ...anonymous.map((a) => segment('identify', { userId: 'u-bob', anonymousId: a, traits: { firstName: 'Bob' } })),
      ...anonymous.map((a, i) => segment('track', { anonymousId: a, event: 'Product Viewed', properties: { i } })),
      ...anonymous.map((a) => segment('alias', { userId: 'u-bob', previousId: a })),
    ]);

    const bob = (await profiles.get('u-bob'))!;
    expect(bob.mergedInto).toBeUndefined();
    expect(bob.attributes).toMatchObject({ firstName: 'Bob', email: 'bob@example.com', device0: true, device5: true });
    expect(Object.keys(bob.attributes)).toHaveLength(8);
    for (const a of anonymous) {
      expect(await identities.owner(`anonymousId:${a}`)).toBe('u-bob');
      expect((await profiles.get(`anonymous:${a}`))?.mergedInto).toBeDefined();
      expect((await partition(`P#anonymous:${a}`)).map((i) => i.sk)).toStrictEqual(['PROFILE']);
    }
    expect(await identities.owner('email:bob@example.com')).toBe('u-bob');
    // 6 identify + 6 login + 6 track + 6 alias events, each once.
    const history = (await partition('P#u-bob')).filter((i) => String(i.sk).startsWith('E#'));
    expect(history).toHaveLength(24);
  });

  it('two known profiles are never merged: a shared email stays with its first owner', async () => {
    await segment('identify', { userId: 'u-carol', traits: { email: 'family@example.com' } });
    await segment('identify', { userId: 'u-dave', traits: { email: 'family@example.com' } });
    expect((await profiles.get('u-dave'))!.mergedInto).toBeUndefined();
    expect((await profiles.get('u-carol'))!.mergedInto).toBeUndefined();
    expect(await identities.owner('email:family@example.com')).toBe('u-carol');
    expect((await profiles.get('u-dave'))!.attributes.email).toBe('family@example.com');
  });
});
