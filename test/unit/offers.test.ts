import { describe, expect, it } from 'vitest';
import { affinityOf, decide, decisionSchema, offerSchema, outcomeOf, outcomeSegments, purchasesOf, seeded, segmentOf, type Decision, type Offer } from '../../functions/domain/offers';
import { offersOf } from '../../functions/domain/send-message';
import { emptyProfile, type Profile } from '../../functions/domain/profile';

const offer = (o: Record<string, unknown>): Offer => offerSchema.parse({ tags: ['apology'], content: { email: { text: String(o.id) } }, ...o });
const decision = (d: Record<string, unknown> = {}): Decision => decisionSchema.parse({ id: 'd', placement: 'email', tags: ['apology'], ranking: { strategy: 'priority' }, fallback: 'sorry', ...d });
const ada: Profile = { ...emptyProfile('ada', ''), attributes: { tier: 'gold' }, audiences: { vip: '2026-11-01T00:00:00Z' } };
const input = (extra: Partial<Parameters<typeof decide>[2]> = {}) => ({ profile: ada, now: new Date('2026-11-29T12:00:00Z'), capped: new Set<string>(), stats: new Map(), random: seeded(7), ...extra });
const ids = (r: { offers: Offer[] }) => r.offers.map((o) => o.id);

const catalog = [
  offer({ id: 'sorry', tags: ['fallback'], priority: 0 }),
  offer({ id: 'ten-off', priority: 10, attributes: { margin: 5 } }),
  offer({ id: 'twenty-off', priority: 20, attributes: { margin: 1 }, eligibility: { path: 'profile.attributes.tier', op: 'eq', value: 'gold' } }),
  offer({ id: 'vip-gift', priority: 30, eligibility: { audience: 'vip' } }),
  offer({ id: 'expired', priority: 99, endsAt: '2026-11-01T00:00:00Z' }),
  offer({ id: 'future', priority: 99, startsAt: '2026-12-24T00:00:00Z' }),
  offer({ id: 'push-only', priority: 99, content: { push: { text: 'x' } } }),
];

describe('offer decisions', () => {
  it('rank by priority among the eligible, live offers of the placement; caps and dates leave offers out', () => {
    expect(ids(decide(decision({ count: 3 }), catalog, input()))).toStrictEqual(['vip-gift', 'twenty-off', 'ten-off']);
    expect(ids(decide(decision(), catalog, input({ capped: new Set(['vip-gift']) })))).toStrictEqual(['twenty-off']);
    const silver = { ...ada, attributes: { tier: 'silver' }, audiences: {} };
    expect(ids(decide(decision({ count: 3 }), catalog, input({ profile: silver })))).toStrictEqual(['ten-off']);
  });

  it('rank by a formula over offer attributes', () => {
    const byMargin = decision({ count: 2, ranking: { strategy: 'formula', weights: { margin: 1 } } });
    expect(ids(decide(byMargin, catalog, input()))).toStrictEqual(['ten-off', 'twenty-off']);
  });

  it('fall back when nothing is eligible', () => {
    const result = decide(decision(), catalog, input({ capped: new Set(['vip-gift', 'twenty-off', 'ten-off']) }));
    expect(result).toMatchObject({ fallback: true, considered: [] });
    expect(ids(result)).toStrictEqual(['sorry']);
  });

  it('the bandit learns: one offer with a clearly higher click rate is shown most, and the others still sometimes', () => {
    const arms = ['a', 'b', 'c'].map((id) => offer({ id }));
    const clickRate: Record<string, number> = { a: 0.04, b: 0.06, c: 0.2 };
    const stats = new Map(arms.map((o) => [o.id, { displays: 0, clicks: 0 }]));
    const random = seeded(42);
    const shown: Record<string, number> = { a: 0, b: 0, c: 0 };
    const bandit = decision({ ranking: { strategy: 'bandit', exploration: 0.05 } });
    for (let i = 0; i < 4000; i += 1) {
      const [o] = decide(bandit, arms, input({ stats, random })).offers;
      const s = stats.get(o!.id)!;
      s.displays += 1;
      shown[o!.id] = (shown[o!.id] ?? 0) + 1;
      if (random() < clickRate[o!.id]!) s.clicks += 1;
    }
    expect(shown.c! / 4000).toBeGreaterThan(0.7);
    expect(shown.a).toBeGreaterThan(20); // still exploring
    expect(shown.b).toBeGreaterThan(20);
  });

  it('affinity to past purchases: the share of items bought that match the offer, per facet, averaged', () => {
    const purchases = purchasesOf(
      [{ properties: { products: [{ category: 'Outerwear', brand: 'Northwind' }, { category: 'shirts', brand: 'Northwind' }] } }, { properties: { category: 'outerwear', brand: 'Acme' } }],
      ['category', 'brand'],
    );
    expect(purchases.items).toBe(3);
    const jacket = offer({ id: 'jacket', facets: { category: ['outerwear'], brand: ['Northwind'] } });
    const shirt = offer({ id: 'shirt', facets: { category: ['shirts'], brand: ['Northwind'] } });
    const sweater = offer({ id: 'sweater', facets: { category: ['knitwear'] } });
    expect(affinityOf(jacket, purchases)).toBeCloseTo((2 / 3 + 2 / 3) / 2);
    expect(affinityOf(shirt, purchases)).toBeCloseTo((1 / 3 + 2 / 3) / 2);
    expect(affinityOf(sweater, purchases)).toBe(0);
    expect(affinityOf(jacket, purchasesOf([], ['category']))).toBe(0);
    const byAffinity = decision({ count: 3, tags: ['apology'], ranking: { strategy: 'formula', affinity: { weight: 1 } } });
    expect(ids(decide(byAffinity, [sweater, shirt, jacket], input({ purchases })))).toStrictEqual(['jacket', 'shirt', 'sweater']);
    // Affinity weighs with the other terms: a large enough margin beats it.
    const mixed = decision({ ranking: { strategy: 'formula', weights: { margin: 1 }, affinity: { weight: 1 } } });
    expect(ids(decide(mixed, [jacket, { ...sweater, attributes: { margin: 0.9 } }], input({ purchases })))).toStrictEqual(['sweater']);
  });

  it('a bandit can learn from conversions instead of clicks', () => {
    const arms = ['a', 'b'].map((id) => offer({ id }));
    const stats = new Map([
      ['a', { displays: 100, clicks: 90, conversions: 0 }],
      ['b', { displays: 100, clicks: 10, conversions: 40 }],
    ]);
    const byConversion = decision({ ranking: { strategy: 'bandit', exploration: 0, reward: 'conversion' } });
    const random = seeded(3);
    const picks = Array.from({ length: 50 }, () => ids(decide(byConversion, arms, input({ stats, random })))[0]);
    expect(picks.every((p) => p === 'b')).toBe(true);
  });

  it('outcome events, and the audiences that learn apart', () => {
    expect(outcomeOf({ type: 'offer.clicked', properties: { offerId: 'ten-off' } })).toStrictEqual({ offerId: 'ten-off', kind: 'clicks' });
    expect(outcomeOf({ type: 'offer.displayed', properties: { offerId: 'ten-off' } })).toStrictEqual({ offerId: 'ten-off', kind: 'displays' });
    expect(outcomeOf({ type: 'offer.converted', properties: { offerId: 'ten-off' } })).toStrictEqual({ offerId: 'ten-off', kind: 'conversions' });
    expect(outcomeOf({ type: 'offer.clicked', properties: {} })).toBeUndefined();
    expect(outcomeOf({ type: 'offer.clicked', properties: { offerId: '../etc' } })).toBeUndefined();
    expect(outcomeOf({ type: 'page.viewed', properties: { offerId: 'ten-off' } })).toBeUndefined();
    const learning = decision({ ranking: { strategy: 'bandit', segments: ['new', 'vip'] } });
    expect(segmentOf(learning, ada)).toBe('vip');
    expect(segmentOf(learning, { ...ada, audiences: {} })).toBe('*');
    expect(segmentOf(decision(), ada)).toBe('*');
    expect(outcomeSegments([learning, decision()], ada)).toStrictEqual(['*', 'vip']);
  });

  it('templates read the latest decide step as offers, and each by step', () => {
    const steps = {
      email: { visit: 1 },
      late: { visit: 1, at: '2026-11-29T10:00:00.001Z', offers: [{ id: 'late-15', code: 'X' }] },
      gift: { visit: 1, at: '2026-11-29T10:00:00.000Z', offers: [{ id: 'gift' }] },
    };
    expect(offersOf(steps)).toStrictEqual({
      offers: [{ id: 'late-15', code: 'X' }],
      decisions: { gift: { offers: [{ id: 'gift' }] }, late: { offers: [{ id: 'late-15', code: 'X' }] } },
    });
    expect(offersOf({})).toStrictEqual({ offers: [], decisions: {} });
  });
});
