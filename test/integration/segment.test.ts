import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailTo } from './helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'examples/store', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

describe('the Segment Node.js SDK, pointed at the local runtime', () => {
  it('identify then track: the profile is merged and the journey sends its email', async () => {
    // The real client, unchanged: only its host is ours, and the write key is our API key.
    const analytics = new Analytics({ writeKey: runtime.apiKey, host: runtime.apiUrl, flushAt: 2, maxRetries: 0 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.identify({ userId: 'seg-ada', traits: { email: 'seg-ada@example.com', firstName: 'Ada' } });
    analytics.track({ userId: 'seg-ada', event: 'order.delivered', properties: { orderId: 'S-1', delayed: false } });
    await analytics.closeAndFlush();
    await runtime.queue.idle();
    expect(errors).toStrictEqual([]);
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'seg-ada@example.com');
      return m.length > 0 && m;
    });
    expect(mail!.subject).toBe('Ada, how was your order S-1?');
  });

  it('anonymous browsing then login, from the SDK: the anonymous profile is merged into the known one', async () => {
    const analytics = new Analytics({ writeKey: runtime.apiKey, host: runtime.apiUrl, flushAt: 1, maxRetries: 0 });
    analytics.track({ anonymousId: 'seg-anon-1', event: 'Product Viewed', properties: { sku: 'SW-9' } });
    analytics.identify({ anonymousId: 'seg-anon-1', traits: { firstName: 'Bo' } });
    await analytics.flush();
    await runtime.queue.idle();
    analytics.identify({ userId: 'seg-bo', anonymousId: 'seg-anon-1', traits: { email: 'bo@example.com' } });
    await analytics.closeAndFlush();
    await runtime.queue.idle();
    const bo = (await (await fetch(`${runtime.apiUrl}/profiles/seg-bo/export`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as {
      profile: { attributes: Record<string, unknown>; identities: Record<string, string[]> };
      mergedFrom: string[];
      events: Array<{ type: string }>;
    };
    expect(bo.profile.attributes).toStrictEqual({ firstName: 'Bo', email: 'bo@example.com' });
    expect(bo.profile.identities).toMatchObject({ anonymousId: ['seg-anon-1'], userId: ['seg-bo'] });
    expect(bo.mergedFrom).toStrictEqual(['anonymous:seg-anon-1']);
    // (SDK timestamps may fall in one millisecond, so compare as sets.)
    expect(bo.events.map((e) => e.type).sort()).toStrictEqual(['Product Viewed', 'identify', 'identify']);
  });

  it('a wrong write key, sent the way Segment SDKs send it (Basic), is refused with 403', async () => {
    const post = (key: string) =>
      fetch(`${runtime.apiUrl}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: 'seg-m-2', userId: 'seg-eve', event: 'order.delivered', properties: {} }),
      });
    expect((await post('not-the-key')).status).toBe(403);
    expect((await post(runtime.apiKey)).status).toBe(200);
  });
});
