import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../functions/domain/address-guard';
import { actionSchema } from '../../functions/domain/action-schema';
import { callWebhook, type WebhookDeps, type WebhookTask } from '../../functions/domain/webhook';
import { FetchHttpCaller } from '../../functions/adapters/fetch-http';

describe('address guard', () => {
  it.each(['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', '::ffff:10.0.0.1', 'not-an-ip'])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });
  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
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
  const task: WebhookTask = { action: 'points', stepId: 'award', executionId: 'exec-1', journey: { id: 'j' }, profileId: 'ada/1', event: { properties: { orderId: 'A&B' } }, steps: {} };
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
