import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EMBEDDED, LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { eventually, mailTo, scanTable } from './helpers';

// Issue 16's cases, against the local runtime: every answer is a 400 naming the field or a 202 whose effects
// all land; no 5xx; no item left behind by a refused request; one history item per event id.

let runtime: LocalRuntime;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  runtime = await startLocalRuntime({ ...EMBEDDED, workspace: 'examples/store' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
});
afterAll(async () => {
  doc?.destroy();
  await runtime?.stop();
});

const statuses: number[] = [];
async function post(path: string, body: string, method = 'POST') {
  const r = await fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body });
  statuses.push(r.status);
  return { status: r.status, body: (await r.json()) as { accepted?: string[]; duplicates?: string[]; issues?: Array<{ path: string; message: string }> } };
}

const scanAll = (table: string) => scanTable(doc, table);

const event = (id: string, profileId: string, extra: string) => `{"id":"${id}","type":"page.viewed","profileId":"${profileId}"${extra}}`;

describe('ingest: what is accepted is stored; what cannot be stored is refused whole', () => {
  const refused: Array<[name: string, path: string, body: string, field: string, method?: string]> = [
    ['a prototype name in properties', '/events', event('bad-1', 'bad-p1', ',"properties":{"constructor":"Ferrari"}'), 'properties.constructor'],
    ['an integer beyond 2^53', '/events', event('bad-2', 'bad-p2', ',"attributes":{"ltv":9007199254740993}'), 'attributes.ltv'],
    ['1e400', '/events', event('bad-3', 'bad-p3', ',"properties":{"x":1e400}'), 'properties.x'],
    ['0.1e-320', '/events', event('bad-4', 'bad-p4', ',"properties":{"x":0.1e-320}'), 'properties.x'],
    ['40 levels of nesting', '/events', event('bad-5', 'bad-p5', `,"properties":${'{"a":'.repeat(40)}1${'}'.repeat(40)}`), 'properties.a'],
    ['a far-future timestamp', '/events', event('bad-6', 'bad-p6', ',"timestamp":"9999-12-31T00:00:00Z","attributes":{"plan":"gold"}'), 'timestamp'],
    ...['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'].map(
      (name, i): [string, string, string, string] => [`an attribute named ${name}`, '/events', event(`bad-7${i}`, `bad-p7${i}`, `,"attributes":{"${name}":"x"}`), `attributes.${name}`],
    ),
    ['a consent list named constructor', '/profiles/bad-p8', '{"consents":{"email":{"constructor":"granted"}}}', 'consents.email.constructor', 'PATCH'],
    ['a bad value in a batch of good ones', '/events', `{"events":[${event('bad-9a', 'bad-p9', '')},${event('bad-9b', 'bad-p9', ',"properties":{"n":1e999}')}]}`, 'events[1].properties.n'],
    ['a Segment track with valueOf', '/v1/track', '{"messageId":"bad-10","userId":"bad-p10","event":"Viewed","properties":{"valueOf":1}}', 'properties.valueOf'],
    ['a campaign trigger whose context holds __proto__', '/campaigns/store-closure/trigger', '{"context":{"__proto__":{"polluted":true}}}', 'context.__proto__'],
  ];

  it.each(refused)('%s: 400 naming the field', async (_name, path, body, field, method) => {
    const r = await post(path, body, method);
    expect(r.status).toBe(400);
    expect(r.body.issues?.some((i) => i.path === field || i.path.startsWith(`${field}.`)), JSON.stringify(r.body.issues)).toBe(true);
  });

  it('200 events at once for one profile: all 202, all applied in order, last write wins by event time', async () => {
    const base = Date.parse('2026-11-01T00:00:00Z');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post('/events', JSON.stringify({ id: `hot-${i}`, type: 'page.viewed', profileId: 'hot', timestamp: new Date(base + ((i * 37) % 200) * 1000).toISOString(), attributes: { seen: (i * 37) % 200 }, properties: { i } }))),
    );
    expect(answers.map((a) => a.status)).toStrictEqual(Array(200).fill(202));
    await runtime.queue.idle();
    const items = await scanAll(LOCAL_TABLES.profiles);
    const profile = items.find((i) => i.pk === 'P#hot' && i.sk === 'PROFILE') as { attributes: { seen: number } };
    expect(profile.attributes.seen).toBe(199); // the latest event time, whatever the arrival order
    expect(items.filter((i) => i.pk === 'P#hot' && String(i.sk).startsWith('E#'))).toHaveLength(200);
  });

  it('50 copies of one id at once: one accepted, 49 duplicates, one history item, one run', async () => {
    const body = JSON.stringify({ id: 'copy-1', type: 'order.delivered', profileId: 'copies', attributes: { email: 'copies@example.com', firstName: 'Cy' }, properties: { orderId: 'C-1' } });
    const answers = await Promise.all(Array.from({ length: 50 }, () => post('/events', body)));
    expect(answers.map((a) => a.status)).toStrictEqual(Array(50).fill(202));
    expect(answers.filter((a) => a.body.accepted?.includes('copy-1'))).toHaveLength(1);
    expect(answers.filter((a) => a.body.duplicates?.includes('copy-1'))).toHaveLength(49);
    await runtime.queue.idle();
    const items = await scanAll(LOCAL_TABLES.profiles);
    expect(items.filter((i) => i.pk === 'P#copies' && String(i.sk).startsWith('E#'))).toHaveLength(1);
    // The journey's survey goes once (its 3-day wait then goes on: not waited for here).
    await eventually(async () => (await mailTo(runtime, 'copies@example.com')).length > 0);
    await runtime.bus.idle();
    expect(await mailTo(runtime, 'copies@example.com')).toHaveLength(1);
  });

  it('no 5xx anywhere; no item of a refused request in any table; every receipt applied', async () => {
    await runtime.queue.idle();
    expect(statuses.filter((s) => s >= 500)).toStrictEqual([]);
    const all = [...(await scanAll(LOCAL_TABLES.profiles)), ...(await scanAll(LOCAL_TABLES.ledger))].map((i) => JSON.stringify(i));
    expect(all.filter((i) => /bad-/.test(i))).toStrictEqual([]);
    const receipts = (await scanAll(LOCAL_TABLES.profiles)).filter((i) => String(i.pk).startsWith('R#'));
    expect(receipts.length).toBeGreaterThanOrEqual(201);
    expect(receipts.filter((r) => r.status !== 'published')).toStrictEqual([]);
  });
});
