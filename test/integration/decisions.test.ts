import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOfferStats } from '../../functions/adapters/dynamodb-offer-counters';
import { decide as decideFunction } from '../../functions/handlers/decide/function';
import { scoped } from '../../functions/platform';
import { testPlatform } from '../platform';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { lambdaContext } from '../../local/lambda';
import { eventually, mailTo, postEvents } from './helpers';

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

  it('answers a repeated Idempotency-Key with the same decision, claiming once', async () => {
    await postEvents(runtime, { id: 'k-1', type: 'x', profileId: 'u-key', attributes: { tier: 'silver' }, properties: {} });
    const post = (key: string) =>
      fetch(`${runtime.apiUrl}/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ decision: 'late-delivery', profileId: 'u-key' }),
      }).then(async (r) => (await r.json()) as Record<string, any>);
    const first = await post('retry-1');
    expect(first.offers[0]).toMatchObject({ id: 'late-15' });
    expect(await post('retry-1')).toStrictEqual(first);
    // A new request is a new decision: the per-profile cap (1) is spent, so the fallback.
    expect((await post('retry-2')).offers[0].id).toBe('sorry');
    const bad = await fetch(`${runtime.apiUrl}/decisions`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'idempotency-key': 'no spaces' }, body: '{}' });
    expect(bad.status).toBe(400);
  });

  it('refuses bad input by field, and an unknown decision', async () => {
    expect((await decide({ decision: 'apology' })).body.issues).toStrictEqual([{ path: 'profileId', message: 'give a profileId or an identity' }]);
    expect((await decide({ decision: 'apology', identity: { type: 'fax', value: '1' } })).body.issues[0].path).toBe('identity.type');
    expect((await decide({ decision: 'nope', profileId: 'u-gold' })).status).toBe(404);
  });
});

describe('decide steps in journeys', () => {
  it("a late delivery's apology email carries a unique code and suggestions from the customer's past purchases", async () => {
    const products = (items: Array<[string, string]>) => items.map(([category, brand]) => ({ category, brand }));
    await postEvents(runtime, { events: [
      { id: 'r-1', type: 'order.completed', profileId: 'u-rain', attributes: { email: 'rain@example.com' }, properties: { products: products([['outerwear', 'Northwind'], ['shirts', 'Northwind']]) } },
      { id: 'r-2', type: 'order.completed', profileId: 'u-rain', properties: { products: products([['outerwear', 'Acme']]) } },
    ] });
    await postEvents(runtime, { id: 'r-3', type: 'delivery.delayed', profileId: 'u-rain', properties: { orderId: 'o-9' } });
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'rain@example.com');
      return m.length > 0 && m;
    });
    // Affinity: the jacket (outerwear 2/3, Northwind 2/3) before the shirt (shirts 1/3, Northwind 2/3); not the sweater.
    expect(mail!.subject).toBe('Sorry your order o-9 was late');
    expect(mail!.body.text).toMatch(/^15% off your next order: LATE-[ABC]\nYou may like:\n- Northwind rain jacket\n- Northwind linen shirt\n$/);
  });

  it('a retried decide task answers the same offers and draws no second code', async () => {
    await postEvents(runtime, { id: 't-1', type: 'x', profileId: 'u-retry', attributes: {}, properties: {} });
    const platform = testPlatform({ settings: { PROFILES_TABLE: 'journeys-profiles' }, workspace: { offers: runtime.workspace.offers, decisions: runtime.workspace.decisions }, endpoint: () => runtime.dynamoUrl });
    const decide = decideFunction.create(scoped(platform, decideFunction));
    const task = { decision: 'late-delivery', stepId: 'gift', runId: 'arn:x:retry-1', profileId: 'u-retry', steps: {} };
    const first = await decide(task, lambdaContext('decide'));
    const again = await decide(task, lambdaContext('decide'));
    expect(first).toMatchObject({ visit: 1, fallback: false, offers: [{ id: 'late-15', code: expect.stringMatching(/^LATE-/) }] });
    expect(again).toStrictEqual(first);
    // A loop back to the step is a new visit: a new decision (this person's one place under the cap is spent).
    expect((await decide({ ...task, steps: { gift: { visit: 1 } } }, lambdaContext('decide'))).offers[0]!.id).toBe('sorry');
  });
});

describe('learning from outcomes', () => {
  it('offer.displayed and offer.clicked events count once each, per learning audience, and the bandit follows them', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    const stats = new DynamoDbOfferStats(doc, 'journeys-profiles');
    await postEvents(runtime, { id: 'b-0', type: 'x', profileId: 'u-gold-2', attributes: { tier: 'gold' }, properties: {} });
    const outcomes = [
      ...Array.from({ length: 30 }, (_, i) => ({ id: `d-${i}`, type: 'offer.displayed', profileId: 'u-gold-2', properties: { offerId: 'banner-b' } })),
      ...Array.from({ length: 25 }, (_, i) => ({ id: `c-${i}`, type: 'offer.clicked', profileId: 'u-gold-2', properties: { offerId: 'banner-b' } })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: `a-${i}`, type: 'offer.displayed', profileId: 'u-gold-2', properties: { offerId: 'banner-a' } })),
      ...Array.from({ length: 5 }, (_, i) => ({ id: `s-${i}`, type: 'offer.clicked', profileId: 'u-silver', properties: { offerId: 'banner-a' } })),
    ];
    expect((await postEvents(runtime, { events: outcomes })).status).toBe(202);
    expect((await postEvents(runtime, { events: outcomes.slice(0, 10) })).body.duplicates).toHaveLength(10); // redelivered: not counted again
    expect(await stats.read(['banner-a', 'banner-b'], '*')).toStrictEqual(
      new Map([
        ['banner-a', { displays: 30, clicks: 5, conversions: 0 }],
        ['banner-b', { displays: 30, clicks: 25, conversions: 0 }],
      ]),
    );
    // Gold members learn apart: the silver member's clicks do not count there.
    expect(await stats.read(['banner-a', 'banner-b'], 'gold')).toStrictEqual(
      new Map([
        ['banner-a', { displays: 30, clicks: 0, conversions: 0 }],
        ['banner-b', { displays: 30, clicks: 25, conversions: 0 }],
      ]),
    );
    // Beta(26, 6) against Beta(1, 31): banner-b, as good as always (P(a wins) is below 1e-9).
    const shown = await Promise.all(Array.from({ length: 20 }, () => decide({ decision: 'banner', profileId: 'u-gold-2' })));
    expect(shown.map((r) => r.body.offers[0].id)).toStrictEqual(Array(20).fill('banner-b'));
  });
});
