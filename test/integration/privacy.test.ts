import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { executionName } from '../../functions/domain/journey-start';
import { eventually, mailTo, postEvents, scanTable } from './helpers';
import { erasureSchema, profileExportSchema, profileSchema } from '../../functions/handlers/profile-api/schema';

let runtime: LocalRuntime;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/identity', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.01, logLevel: 'SILENT' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
});
afterAll(async () => runtime?.stop());

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const answer = { status: response.status, body: (await response.json()) as Record<string, any> };
  await runtime.queue.idle(); // profile writes are applied from the queue
  return answer;
}

async function segment(path: string, message: Record<string, unknown>) {
  const response = await fetch(`${runtime.apiUrl}/v1/${path}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${runtime.apiKey}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify(message),
  });
  expect(response.status).toBe(200);
  await runtime.queue.idle();
}

const scanAll = async (table: string): Promise<string[]> => (await scanTable(doc, table)).map((i) => JSON.stringify(i));

describe('the profile API', () => {
  it('PUT replaces, PATCH changes (null removes), GET reads by id and by any identity', async () => {
    // Writes answer 202 once queued (applied in order with the profile's events); GET reads what was applied.
    let r = await api('PUT', '/profiles/u-pat', { attributes: { firstName: 'Pat', tier: 'gold' }, identities: { email: 'Pat@Example.com' } });
    expect(r).toMatchObject({ status: 202, body: { accepted: [expect.any(String)], duplicates: [] } });
    expect((await api('GET', '/profiles/u-pat')).body).toMatchObject({ id: 'u-pat', attributes: { firstName: 'Pat', tier: 'gold' }, identities: { email: ['pat@example.com'], userId: ['u-pat'] } });
    await api('PATCH', '/profiles/u-pat', { attributes: { tier: null, city: 'Lyon' } });
    expect((await api('GET', '/profiles/u-pat')).body.attributes).toStrictEqual({ firstName: 'Pat', city: 'Lyon' });
    await api('PUT', '/profiles/u-pat', { attributes: { firstName: 'Patricia' } });
    const read = await api('GET', '/profiles/u-pat');
    expect(read.body.attributes).toStrictEqual({ firstName: 'Patricia' });
    expect(profileSchema.safeParse(read.body).error).toBeUndefined(); // the documented shape
    expect((await api('GET', '/profiles?email=pat@example.com')).body.id).toBe('u-pat');
    expect((await api('GET', '/profiles?userId=u-pat')).body.id).toBe('u-pat');
    expect(await api('GET', '/profiles/nobody')).toMatchObject({ status: 404, body: { error: 'NotFound' } });
    // The same Idempotency-Key is the same change: applied once.
    expect((await api('PATCH', '/profiles/u-pat', { attributes: { visits: 1 } }, { 'idempotency-key': 'patch-1' })).body).toStrictEqual({ accepted: ['patch-1'], duplicates: [] });
    expect((await api('PATCH', '/profiles/u-pat', { attributes: { visits: 2 } }, { 'idempotency-key': 'patch-1' })).body).toStrictEqual({ accepted: [], duplicates: ['patch-1'] });
    expect((await api('GET', '/profiles/u-pat')).body.attributes.visits).toBe(1);
  });

  it.each([
    ['a reserved attribute', 'PATCH', '/profiles/u-bad', { attributes: { consents: { email: true } } }, 'attributes.consents', /reserved/],
    ['a wrong type', 'PUT', '/profiles/u-bad', { attributes: 'tier=gold' }, 'attributes', /record|object/i],
    ['an unknown identity type', 'PUT', '/profiles/u-bad', { attributes: {}, identities: { fax: '+1555' } }, 'identities.fax', /unknown identity type/],
    ['an unknown identity type in an event', 'POST', '/events', { id: 'e-bad', type: 'x', profileId: 'u-bad', identities: { fax: '1' } }, 'identities.fax', /unknown identity type/],
    ['a reserved attribute in an event', 'POST', '/events', { id: 'e-bad', type: 'x', profileId: 'u-bad', attributes: { audiences: [] } }, 'attributes.audiences', /reserved/],
    ['an unknown lookup type', 'GET', '/profiles?fax=1', undefined, 'fax', /unknown identity type/],
    ['a body over 256 KB', 'POST', '/events', { id: 'e-big', type: 'x', profileId: 'u-bad', properties: { blob: 'x'.repeat(300_000) } }, 'body', /at most 262144 bytes/],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_, method, path, body, field, message) => {
    const r = await api(method, path, body);
    expect(r.status).toBe(400);
    const issue = (r.body.issues as Array<{ path: string; message: string }>).find((i) => i.path === field);
    expect(issue?.message).toMatch(message);
    expect((await api('GET', '/profiles/u-bad')).status).toBe(404);
  });
});

describe('privacy: access and erasure', () => {
  const secrets = ['u-eve', 'a-eve', 'eve@example.com', '+15550100', 'eve-device-token'];

  it('export returns everything held; erasure leaves nothing in any table, stops journeys, suppresses addresses', async () => {
    // Seed through every path: anonymous browsing (Segment), login (merge), events (history), a journey that
    // sends (ledger, send record), one that waits (run, task token), the profile API.
    await segment('track', { messageId: 'eve-1', anonymousId: 'a-eve', event: 'Product Viewed', properties: { sku: 'SW-1' } });
    await segment('identify', { messageId: 'eve-2', userId: 'u-eve', anonymousId: 'a-eve', traits: { email: 'eve@example.com', phone: '+15550100', pushTokens: [{ token: 'eve-device-token', platform: 'GCM' }] } });
    await postEvents(runtime, { id: 'eve-3', type: 'cart.abandoned', profileId: 'u-eve', properties: {} });
    await eventually(async () => (await scanAll(LOCAL_TABLES.profiles)).some((i) => i.includes('"W#u-eve"')));
    await postEvents(runtime, { id: 'eve-4', type: 'order.placed', profileId: 'u-eve', properties: { orderId: 'O-9' } });
    await runtime.idle();
    expect(await mailTo(runtime, 'eve@example.com')).toHaveLength(1);
    await postEvents(runtime, { id: 'eve-5', type: 'cart.abandoned', profileId: 'u-eve', properties: {} });
    await eventually(async () => (await scanAll(LOCAL_TABLES.profiles)).some((i) => i.includes('"W#u-eve"')));
    await api('PATCH', '/profiles/u-eve', { attributes: { firstName: 'Eve' } });

    const exported = await api('GET', '/profiles/u-eve/export');
    expect(exported.status).toBe(200);
    expect(profileExportSchema.safeParse(exported.body).error).toBeUndefined();
    expect(exported.body.profile).toMatchObject({ id: 'u-eve', attributes: { firstName: 'Eve', email: 'eve@example.com' }, identities: { anonymousId: ['a-eve'], email: ['eve@example.com'], userId: ['u-eve'] } });
    expect(exported.body.mergedFrom).toStrictEqual(['anonymous:a-eve']);
    expect(exported.body.events.map((e: { type: string }) => e.type)).toStrictEqual(['Product Viewed', 'identify', 'cart.abandoned', 'order.placed', 'cart.abandoned', 'profile.updated']);
    expect(exported.body.sends).toMatchObject([{ journeyId: 'cart-rescue', stepId: 'thanks', channel: 'email', status: 'sent' }]);
    expect(exported.body.journeys).toMatchObject([{ journeyId: 'cart-rescue', status: 'running' }]);
    expect(exported.body.waiting).toStrictEqual([{ journeyId: 'cart-rescue', stepId: 'wait-order', eventType: 'order.placed' }]);
    // Found through any identity too, the merged-away anonymous one included.
    expect((await api('GET', '/profiles/anonymous%3Aa-eve')).body.id).toBe('u-eve');

    const before = [...(await scanAll(LOCAL_TABLES.profiles)), ...(await scanAll(LOCAL_TABLES.ledger))];
    for (const s of secrets) expect(before.some((i) => i.includes(s))).toBe(true); // the scan below can see them

    const erased = await api('DELETE', '/profiles/u-eve');
    expect(erased).toMatchObject({ status: 200, body: { erased: true, stoppedJourneys: 1 } });
    expect(erasureSchema.safeParse(erased.body).error).toBeUndefined();
    await runtime.idle();
    const after = [...(await scanAll(LOCAL_TABLES.profiles)), ...(await scanAll(LOCAL_TABLES.ledger))];
    for (const s of secrets) expect(after.filter((i) => i.includes(s))).toStrictEqual([]);
    const waiting = runtime.stepFunctions.run(executionName('cart-rescue', 'u-eve', 'eve-5'));
    expect(waiting?.status).toBe('ABORTED');
    expect((await api('GET', '/profiles/u-eve')).status).toBe(404);
    expect((await api('GET', '/profiles?email=eve@example.com')).status).toBe(404);

    // An import brings the person back: the profile may return, but nothing reaches the suppressed address.
    await postEvents(runtime, { id: 'eve-6', type: 'cart.abandoned', profileId: 'u-eve', attributes: { email: 'eve@example.com' }, properties: {} });
    await eventually(async () => (await scanAll(LOCAL_TABLES.profiles)).some((i) => i.includes('"W#u-eve"')));
    await postEvents(runtime, { id: 'eve-7', type: 'order.placed', profileId: 'u-eve', properties: { orderId: 'O-10' } });
    await runtime.idle();
    expect(await mailTo(runtime, 'eve@example.com')).toHaveLength(1);
    const ledger = await scanAll(LOCAL_TABLES.ledger);
    expect(ledger.filter((i) => i.includes('"reason":"suppressed"'))).toHaveLength(1);
  });

  it('erasing an unknown profile is 404', async () => {
    expect((await api('DELETE', '/profiles/nobody-at-all')).status).toBe(404);
  });
});
