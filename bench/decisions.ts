import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decide, decisionSchema, offerSchema, seeded } from '../functions/domain/offers';
import { emptyProfile } from '../functions/domain/profile';
import { EMBEDDED, startLocalRuntime } from '../local/runtime';
import { measure, round } from './measure';

// Decisions per second in the local runtime: 50 offers in the decision's collection, 10 of them eligible for
// the person (the other 40 ask for a tier they lack). Baseline, same run: GET /profiles/{id} through the same
// API (authorizer, handler, one DynamoDB read), the least any decision must do.

const OFFERS = 50;
const ELIGIBLE = 10;

function offerFiles() {
  return Array.from({ length: OFFERS }, (_, i) => ({
    id: `offer-${String(i).padStart(2, '0')}`,
    tags: ['promo'],
    priority: i,
    attributes: { margin: (i * 7) % 11 },
    facets: { category: [`c${i % 5}`] },
    content: { banner: { text: `Offer ${i}` } },
    ...(i < ELIGIBLE ? {} : { eligibility: { path: 'profile.attributes.tier', op: 'eq', value: 'platinum' } }),
  }));
}

const RANKINGS = {
  priority: { strategy: 'priority' },
  formula: { strategy: 'formula', weights: { margin: 1 }, affinity: { weight: 5 } },
  bandit: { strategy: 'bandit', exploration: 0.05 },
} as const;

export async function decisionFigures() {
  const root = mkdtempSync(join(tmpdir(), 'jo-bench-offers-'));
  for (const dir of ['journeys', 'offers', 'placements', 'decisions']) mkdirSync(join(root, dir));
  const offers = offerFiles();
  for (const o of offers) writeFileSync(join(root, 'offers', `${o.id}.json`), JSON.stringify(o));
  writeFileSync(join(root, 'offers', 'fallback.json'), JSON.stringify({ id: 'fallback', tags: ['none'], content: { banner: { text: 'Hello' } } }));
  writeFileSync(join(root, 'placements', 'banner.json'), JSON.stringify({ id: 'banner', channel: 'web', format: 'text' }));
  for (const [name, ranking] of Object.entries(RANKINGS)) {
    writeFileSync(join(root, 'decisions', `${name}.json`), JSON.stringify({ id: name, placement: 'banner', tags: ['promo'], ranking, fallback: 'fallback', count: 3 }));
  }
  const runtime = await startLocalRuntime({ ...EMBEDDED, workspace: root });
  try {
    const headers = { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' };
    // A customer with purchases (the formula reads them) and a few outcomes (the bandit reads them).
    const events = [
      { id: 'bench-p', type: 'order.completed', profileId: 'bench-gold', attributes: { tier: 'gold' }, properties: { products: [{ category: 'c1' }, { category: 'c3' }] } },
      ...Array.from({ length: 30 }, (_, i) => ({ id: `bench-o-${i}`, type: i % 3 ? 'offer.displayed' : 'offer.clicked', profileId: 'bench-gold', properties: { offerId: `offer-0${i % 10}` } })),
    ];
    await fetch(`${runtime.apiUrl}/events`, { method: 'POST', headers, body: JSON.stringify({ events }) });
    await runtime.queue.idle(); // the events are applied from the queue before the decisions read them
    const baseline = await measure(async () => (await fetch(`${runtime.apiUrl}/profiles/bench-gold`, { headers })).json(), { ops: 100 });
    const figures: Record<string, unknown> = {};
    for (const name of Object.keys(RANKINGS)) {
      const body = JSON.stringify({ decision: name, profileId: 'bench-gold' });
      const answer = (await (await fetch(`${runtime.apiUrl}/decisions`, { method: 'POST', headers, body })).json()) as { offers: Array<{ id: string }> };
      if (answer.offers.length !== 3 || answer.offers.some((o) => Number(o.id.slice(6)) >= ELIGIBLE)) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
      const t = await measure(async () => (await fetch(`${runtime.apiUrl}/decisions`, { method: 'POST', headers, body })).json(), { ops: 100 });
      figures[name] = { decisionsPerSecond: t.opsPerSecond, medianMs: round(t.medianUs / 1000, 2), ratioToProfileRead: round(t.medianUs / baseline.medianUs, 2) };
    }
    // The pure part alone: eligibility, ranking, fallback for 50 offers, in process.
    const parsed = offers.map((o) => offerSchema.parse(o));
    const profile = { ...emptyProfile('p', ''), attributes: { tier: 'gold' } };
    const random = seeded(1);
    const pure = await measure(() => decide(decisionSchema.parse({ id: 'b', placement: 'banner', tags: ['promo'], ranking: RANKINGS.bandit, fallback: 'fallback', count: 3 }), parsed, { profile, now: new Date(), capped: new Set(), stats: new Map(), random }), { ops: 2000 });
    return {
      offers: OFFERS,
      eligible: ELIGIBLE,
      baselineProfileReadsPerSecond: baseline.opsPerSecond,
      ...figures,
      pureDecidePerSecond: pure.opsPerSecond,
      note: 'sequential requests through the local HTTP API and dynalite; each decision logs to the profile, claims places and reads outcomes (bandit) or purchases (formula)',
    };
  } finally {
    await runtime.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
