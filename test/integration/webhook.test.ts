import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/domain/journey-start';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { postEvents } from './helpers';

// A receiver on this machine (the local runtime may call loopback): it answers 503 to the first call of each
// order, then 200; order "bad" always gets 400.
const received: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
const seen = new Set<string>();
let receiver: Server;
let runtime: LocalRuntime;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      const order = new URL(req.url ?? '/', 'http://x').searchParams.get('order') ?? '';
      const status = order === 'bad' ? 400 : seen.has(order) ? 200 : 503;
      seen.add(order);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;

  const root = mkdtempSync(join(tmpdir(), 'webhook-'));
  mkdirSync(join(root, 'journeys'));
  mkdirSync(join(root, 'actions'));
  writeFileSync(
    join(root, 'actions', 'points.json'),
    JSON.stringify({
      url: `http://127.0.0.1:${port}/points/{{profile.id}}?order={{event.properties.orderId}}`,
      headers: { 'Content-Type': 'application/json', Authorization: { secret: 'loyalty-token' } },
      body: '{"orderId": "{{event.properties.orderId}}", "points": {{event.properties.points}} }',
    }),
  );
  writeFileSync(
    join(root, 'journeys', 'award.json'),
    JSON.stringify({ id: 'award', name: 'Award points', entry: { event: 'order.paid' }, start: 'call', steps: { call: { type: 'webhook', action: 'points', next: 'done', onError: 'failed' }, done: { type: 'end' }, failed: { type: 'end' } } }),
  );
  process.env.JO_SECRET_LOYALTY_TOKEN = 'Bearer local-secret';
  runtime = await startLocalRuntime({ workspace: root, apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.001, logLevel: 'SILENT' });
});
afterAll(async () => {
  await runtime?.stop();
  receiver?.close();
  delete process.env.JO_SECRET_LOYALTY_TOKEN;
});

const run = (profile: string, id: string) => runtime.stepFunctions.run(executionName('award', profile, id))!;

describe('webhook, in the local runtime', () => {
  it('calls the action with the secret header; a 503 is retried with the same Idempotency-Key', async () => {
    await postEvents(runtime, { id: 'paid-1', type: 'order.paid', profileId: 'ada', properties: { orderId: 'A-1', points: 42 } });
    await runtime.idle();
    expect(run('ada', 'paid-1')).toMatchObject({ status: 'SUCCEEDED', states: ['call', 'done'] });
    const calls = received.filter((r) => r.url.includes('order=A-1'));
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url).toBe('/points/ada?order=A-1');
    expect(calls[0]!.headers).toMatchObject({ authorization: 'Bearer local-secret', 'content-type': 'application/json' });
    expect(JSON.parse(calls[0]!.body)).toStrictEqual({ orderId: 'A-1', points: 42 });
    expect(calls[1]!.headers['idempotency-key']).toBe(calls[0]!.headers['idempotency-key']);
  });

  it('takes onError on a 400, without retrying it', async () => {
    await postEvents(runtime, { id: 'paid-2', type: 'order.paid', profileId: 'bob', properties: { orderId: 'bad', points: 1 } });
    await runtime.idle();
    expect(run('bob', 'paid-2')).toMatchObject({ status: 'SUCCEEDED', states: ['call', 'failed'] });
    expect(received.filter((r) => r.url.includes('order=bad'))).toHaveLength(1);
  });
});
