import { describe, expect, it } from 'vitest';
import { isLoopback, isPublicAddress } from '../../functions/domain/address-guard';
import { actionSchema } from '../../functions/domain/action-schema';
import { callWebhook, type WebhookDeps, type WebhookTask } from '../../functions/domain/webhook';
import { FetchHttpCaller } from '../../functions/adapters/fetch-http';

describe('address guard', () => {
  // At least 30 addresses of each form: IPv4, IPv6, and IPv6 that carries IPv4 (mapped, compatible, NAT64, 6to4, SIIT).
  const refusedV4 = ['10.1.2.3', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', '192.168.255.254', '127.0.0.1', '127.255.255.254', '169.254.169.254', '169.254.0.1', '100.64.0.1', '100.127.255.254', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1', '192.0.0.8', '192.0.2.1', '198.18.0.1', '198.19.255.254', '198.51.100.7', '203.0.113.9', '192.88.99.1', '192.175.48.1', '192.52.193.1', '127.1.2.3', '10.0.0.0', '172.20.10.5'];
  const refusedV6 = ['::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', 'ff05::1:3', 'fec0::1', '100::1', '2001:db8::1', '2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:2::1', '2001:10::1', '2001:20::1', '3fff::1', '5f00::1', '64:ff9b:1::a00:1', 'fd00:ec2::254', 'fe80::a9fe:a9fe', 'fc00:0:0:0:0:0:0:1', '[::1]', 'ff0e::101', '2001:3::1', '2001:4:112::1', '2620:4f:8000::1', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'febf::1', 'not-an-ip'];
  const refusedCarried = ['::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:7f00:1]', '0:0:0:0:0:ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:169.254.169.254', '::ffff:a00:5', '::ffff:10.0.0.1', '::ffff:c0a8:101', '::ffff:6440:1', '::7f00:1', '::127.0.0.1', '::a00:5', '::a9fe:a9fe', '64:ff9b::7f00:1', '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b::c0a8:1', '2002:7f00:1::', '2002:7f00:1::1', '2002:a9fe:a9fe::1', '2002:a00:1::1', '2002:c0a8:101::', '::ffff:0:7f00:1', '::ffff:0:a9fe:a9fe', '::ffff:0:10.1.1.1', '::ffff:0.0.0.0', '::ffff:e000:1', '2002:6440:1::'];
  const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4007:80e::200e', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808', '64:ff9b::8.8.8.8', '2002:808:808::1', '::ffff:0:8.8.8.8', '[2606:4700:4700::1111]', '::808:808'];
  it.each([...refusedV4, ...refusedV6, ...refusedCarried])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });
  it.each(allowed)('allows %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
  it('has at least 30 cases of each form', () => {
    expect([refusedV4.length, refusedV6.length, refusedCarried.length].every((n) => n >= 30)).toBe(true);
  });
  it('treats loopback in any form as loopback (allowed locally only)', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::']) expect(isLoopback(ip), ip).toBe(true);
    for (const ip of ['169.254.169.254', '::ffff:a9fe:a9fe', '8.8.8.8']) expect(isLoopback(ip), ip).toBe(false);
  });

  it.each(['http://[::ffff:127.0.0.1]:9/', 'http://[::ffff:7f00:1]:9/', 'http://2130706433:9/', 'http://0x7f.1:9/', 'http://017700000001:9/', 'http://[64:ff9b::a9fe:a9fe]/', 'http://[::a9fe:a9fe]/'])('refuses %s before connecting', async (url) => {
    await expect(new FetchHttpCaller({ allowLoopback: false }).call({ method: 'GET', url, headers: {}, timeoutMs: 1000 })).rejects.toMatchObject({ name: 'BlockedAddressError' });
  });

  it('refuses loopback and metadata addresses before connecting, unless loopback is allowed (local runtime)', async () => {
    const guarded = new FetchHttpCaller({ allowLoopback: false });
    await expect(guarded.call({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {}, timeoutMs: 1000 })).rejects.toMatchObject({ name: 'BlockedAddressError' });
    await expect(guarded.call({ method: 'GET', url: 'http://169.254.169.254/latest/meta-data/', headers: {}, timeoutMs: 1000 })).rejects.toMatchObject({ name: 'BlockedAddressError' });
    await expect(guarded.call({ method: 'GET', url: 'http://localhost:9/', headers: {}, timeoutMs: 1000 })).rejects.toMatchObject({ name: 'BlockedAddressError' });
    const local = new FetchHttpCaller({ allowLoopback: true });
    await expect(local.call({ method: 'GET', url: 'http://169.254.169.254/', headers: {}, timeoutMs: 1000 })).rejects.toMatchObject({ name: 'BlockedAddressError' });
  });
});

describe('action files', () => {
  it('need https (http only to localhost), a fixed host, and a timeout of at most 30 s', () => {
    const issues = (raw: unknown) => (actionSchema.safeParse(raw).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ url: 'https://api.example.com/points/{{profile.id}}' })).toStrictEqual([]);
    expect(issues({ url: 'http://api.example.com/x' })).toStrictEqual(['url: url must use https (plain http only to localhost, for the local runtime)']);
    expect(issues({ url: 'https://{{event.properties.host}}/x' })[0]).toContain('only the path and query may hold');
    expect(issues({ url: 'https://a.example.com/', timeout: 'PT1M' })).toStrictEqual(['timeout: timeout is an ISO 8601 duration of at most PT30S']);
  });
});

describe('callWebhook', () => {
  const action = actionSchema.parse({
    url: 'https://api.example.com/points/{{profile.id}}?order={{event.properties.orderId}}',
    headers: { 'Content-Type': 'application/json', Authorization: { secret: 'loyalty-token' } },
    body: '{"customer": "{{profile.attributes.name}}", "order": "{{event.properties.orderId}}"}',
  });
  const task: WebhookTask = { action: 'points', stepId: 'award', runId: 'exec-1', journey: { id: 'j' }, profileId: 'ada/1', event: { properties: { orderId: 'A&B' } }, steps: {} };
  const calls: Array<{ method: string; url: string; headers: Record<string, string>; body?: string }> = [];
  const deps = (status: number | Error, secret: string | null = 'Bearer s3cret'): WebhookDeps => ({
    actions: { get: (n) => (n === 'points' ? action : undefined) },
    profiles: { get: async () => ({ id: 'ada/1', attributes: { name: 'Ada "the" Lovelace' }, attributeTimes: {}, createdAt: '', updatedAt: '', version: 1 }), put: async () => true },
    secrets: { get: async (name) => (name === 'loyalty-token' && secret !== null ? secret : undefined) },
    http: {
      call: async (request) => {
        calls.push(request);
        if (status instanceof Error) throw status;
        return { status };
      },
    },
    clock: { now: () => new Date() },
  });

  it('renders the request, with the secret header and an Idempotency-Key that a retry repeats', async () => {
    calls.length = 0;
    await expect(callWebhook(task, deps(202))).resolves.toStrictEqual({ visit: 1, status: 202 });
    await callWebhook(task, deps(202));
    const [first, second] = calls;
    expect(first).toMatchObject({
      method: 'POST',
      url: 'https://api.example.com/points/ada%2F1?order=A%26B',
      headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret' },
      body: '{"customer": "Ada \\"the\\" Lovelace", "order": "A&B"}',
      timeoutMs: 10_000,
    });
    expect(JSON.parse(first!.body!)).toStrictEqual({ customer: 'Ada "the" Lovelace', order: 'A&B' });
    expect(first!.headers['idempotency-key']).toMatch(/^[0-9a-f]{40}$/);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
  });

  it.each([
    [503, 'WebhookRetryableError'],
    [429, 'WebhookRetryableError'],
    [400, 'WebhookFailedError'],
    [404, 'WebhookFailedError'],
  ])('an answer %i is %s', async (status, name) => {
    await expect(callWebhook(task, deps(status))).rejects.toMatchObject({ name });
  });

  it('a timeout or a refused address fails for good; so does a secret that is not set', async () => {
    await expect(callWebhook(task, deps(Object.assign(new Error('timed out'), { name: 'TimeoutError' })))).rejects.toMatchObject({ name: 'WebhookFailedError' });
    await expect(callWebhook(task, deps(200, null))).rejects.toThrow('secret "loyalty-token" is not set');
  });
});
