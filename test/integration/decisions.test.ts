import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { postEvents } from './helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/offers', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

const decide = async (body: unknown) => {
  const r = await fetch(`${runtime.apiUrl}/decisions`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

describe('POST /decisions, in the local runtime', () => {
  it('gives each person the best offer they may have, with its content, a unique code, and the fallback when the pool runs out', async () => {
    await postEvents(runtime, { id: 'g-1', type: 'x', profileId: 'u-gold', attributes: { tier: 'gold', email: 'gold@example.com' }, properties: {} });
    const first = await decide({ decision: 'apology', identity: { type: 'email', value: 'gold@example.com' } });
    expect(first).toMatchObject({ status: 200, body: { decision: 'apology', fallback: false, offers: [{ id: 'vip-gift', content: { text: 'A gift for our gold members' }, code: 'GIFT-1' }] } });
    expect((await decide({ decision: 'apology', profileId: 'u-gold' })).body.offers[0]).toMatchObject({ id: 'vip-gift', code: 'GIFT-2' });
    // The pool is used up: the next best offer.
    expect((await decide({ decision: 'apology', profileId: 'u-gold' })).body.offers[0]).toStrictEqual({ id: 'ten-off', content: { text: '10% off your next order' } });
    // Every decision is in the person's data export.
    const exported = (await (await fetch(`${runtime.apiUrl}/profiles/u-gold/export`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { offerDecisions: Array<{ offers: string[] }> };
    expect(exported.offerDecisions.map((d) => d.offers)).toStrictEqual([['vip-gift'], ['vip-gift'], ['ten-off']]);
    // Someone not gold, or not known at all: the offer open to everyone.
    expect((await decide({ decision: 'apology', profileId: 'nobody-yet' })).body.offers.map((o: { id: string }) => o.id)).toStrictEqual(['ten-off']);
  });

  it('refuses bad input by field, and an unknown decision', async () => {
    expect((await decide({ decision: 'apology' })).body.issues).toStrictEqual([{ path: 'profileId', message: 'give a profileId or an identity' }]);
    expect((await decide({ decision: 'apology', identity: { type: 'fax', value: '1' } })).body.issues[0].path).toBe('identity.type');
    expect((await decide({ decision: 'nope', profileId: 'u-gold' })).status).toBe(404);
  });
});
