import * as z from 'zod';
import { betaDraw as beta, learningSegment } from './beta-draw';
import { audiencePredicateSchema, type AudiencePredicate } from '../../statemachines/schema/audience';
import { modelId } from '../../statemachines/schema/ids';
import { parseTimestamp } from '../../statemachines/schema/duration';
import { CHANNEL_NAMES } from '../../statemachines/channels';
import { compileAudiences, evaluateAudiences } from './audiences';
import type { Profile } from './profile';

// Offer decisioning, the pure part: which offers a person may get (eligibility in the one predicate language,
// dates, caps already reached), ranked by priority, by a formula (with affinity to past purchases), or by a
// bandit learning from outcomes, with a fallback when nothing is eligible.

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 characters of a-z, 0-9 and -');

export const offerSchema = z.strictObject({
  id,
  name: z.string().min(1).max(200).optional(),
  tags: z.array(z.string().min(1).max(64)).max(20).default([]),
  /** Content per placement id: what a channel shows (text, image URL, a code...). */
  content: z.record(z.string(), z.record(z.string(), z.unknown())),
  eligibility: audiencePredicateSchema.optional(),
  priority: z.int().min(0).max(1_000_000).default(0),
  startsAt: z.string().refine((t) => parseTimestamp(t).ok, 'must be an ISO 8601 timestamp with a time zone').optional(),
  endsAt: z.string().refine((t) => parseTimestamp(t).ok, 'must be an ISO 8601 timestamp with a time zone').optional(),
  /** Numeric attributes a formula can weigh (margin, stock...). */
  attributes: z.record(z.string(), z.number()).default({}),
  /** What the offer is about (category, brand...): matched against past purchases for affinity. */
  facets: z.record(z.string(), z.array(z.string().min(1).max(200)).max(50)).default({}),
  caps: z.strictObject({ perProfile: z.int().min(1).optional(), total: z.int().min(1).optional() }).default({}),
  /** Unique discount codes: each handed out once; the offer is capped when they run out. */
  codes: z.array(z.string().min(1).max(64)).max(100_000).optional(),
});
export type Offer = z.output<typeof offerSchema>;

const affinitySchema = z.strictObject({
  weight: z.number(),
  /** The history events that are purchases; their properties (or properties.products[]) carry the facets. */
  events: z.array(z.string().min(1)).min(1).default(['order.completed', 'Order Completed']),
  facets: z.array(z.string().min(1)).min(1).default(['category', 'brand']),
  /** How far back purchases count, in days. */
  days: z.int().min(1).max(3650).default(365),
});
export type Affinity = z.output<typeof affinitySchema>;

export const rankingSchema = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('priority') }),
  /** score = Σ weight × offer attribute + priorityWeight × priority + affinity.weight × affinity to past purchases */
  z.strictObject({
    strategy: z.literal('formula'),
    weights: z.record(z.string(), z.number()).default({}),
    priorityWeight: z.number().default(0),
    affinity: affinitySchema.optional(),
    /**
     * The person's propensity scores (models/<id>.json) against offer attributes: Σ weight × profile.scores.<model>
     * × offer attribute, so a likely buyer ranks offers by margin, an unlikely one by discount ("scores": { "buy_30d":
     * { "margin": 1, "discount": -1 } }).
     */
    scores: z.record(modelId, z.record(z.string(), z.number())).optional(),
  }),
  /** Thompson sampling over displays and rewards (clicks or conversions), never below an exploration floor. */
  z.strictObject({
    strategy: z.literal('bandit'),
    exploration: z.number().min(0).max(1).default(0.05),
    reward: z.enum(['click', 'conversion']).default('click'),
    /** Audiences that learn apart: a profile in one of them (the first that matches) uses that audience's outcomes. */
    segments: z.array(z.string().min(1).max(64)).max(10).default([]),
  }),
]);
export type Ranking = z.output<typeof rankingSchema>;

export const placementSchema = z.strictObject({
  id,
  // A message channel (statemachines/channels.ts), or a surface of the site or app that asks for offers.
  channel: z.enum([...CHANNEL_NAMES, 'web', 'app']),
  format: z.string().min(1).max(64).describe('Such as banner, text, html'),
});
export type Placement = z.output<typeof placementSchema>;

export const decisionSchema = z.strictObject({
  id,
  placement: z.string().min(1),
  tags: z.array(z.string()).min(1).describe('The offers that carry any of these tags'),
  ranking: rankingSchema,
  fallback: id,
  count: z.int().min(1).max(20).default(1),
});
export type Decision = z.output<typeof decisionSchema>;

export interface OfferStats {
  /** Per offer: how often it was shown, clicked, converted. */
  displays: number;
  clicks: number;
  conversions?: number;
}

/** How often each facet value appears in a profile's purchases (one count per item bought). */
export interface Purchases {
  items: number;
  facets: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** The facets of purchase events: each event's properties, or each of its properties.products[]. */
export function purchasesOf(history: ReadonlyArray<{ properties: Record<string, unknown> }>, facets: readonly string[]): Purchases {
  const counts = new Map<string, Map<string, number>>(facets.map((f) => [f, new Map()]));
  let items = 0;
  for (const event of history) {
    const products = Array.isArray(event.properties.products) ? (event.properties.products as unknown[]) : [event.properties];
    for (const item of products) {
      if (typeof item !== 'object' || item === null) continue;
      items += 1;
      for (const f of facets) {
        const value = (item as Record<string, unknown>)[f];
        if (typeof value === 'string') counts.get(f)!.set(value.toLowerCase(), (counts.get(f)!.get(value.toLowerCase()) ?? 0) + 1);
      }
    }
  }
  return { items, facets: counts };
}

/**
 * Affinity of an offer to past purchases, 0..1: per facet, the share of items bought that carry one of the
 * offer's values, averaged over the facets the offer has.
 */
export function affinityOf(offer: Offer, purchases: Purchases | undefined): number {
  if (!purchases || purchases.items === 0) return 0;
  const shares = [...purchases.facets.entries()]
    .filter(([f]) => (offer.facets[f]?.length ?? 0) > 0)
    .map(([f, counts]) => offer.facets[f]!.reduce((n, v) => n + (counts.get(v.toLowerCase()) ?? 0), 0) / purchases.items);
  return shares.length === 0 ? 0 : shares.reduce((a, b) => a + b, 0) / shares.length;
}

/** The audience whose outcomes a bandit decision learns from for this profile ('*': everyone's). */
export function segmentOf(decision: Decision, profile: Profile): string {
  const r = decision.ranking;
  if (r.strategy !== 'bandit') return '*';
  return learningSegment(r.segments, profile.audiences);
}

export const OUTCOME_EVENTS = { 'offer.displayed': 'displays', 'offer.clicked': 'clicks', 'offer.converted': 'conversions' } as const;
export type OutcomeKind = (typeof OUTCOME_EVENTS)[keyof typeof OUTCOME_EVENTS];

/** The outcome an event reports: an `offer.displayed|clicked|converted` event with `properties.offerId`. */
export function outcomeOf(event: { type: string; properties?: Record<string, unknown> }): { offerId: string; kind: OutcomeKind } | undefined {
  if (!Object.hasOwn(OUTCOME_EVENTS, event.type)) return undefined;
  const offerId = event.properties?.offerId;
  if (typeof offerId !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(offerId)) return undefined;
  return { offerId, kind: OUTCOME_EVENTS[event.type as keyof typeof OUTCOME_EVENTS] };
}

/** The segments an outcome counts in: everyone's, and each learning audience the profile is in. */
export function outcomeSegments(decisions: Iterable<Decision>, profile: Profile): string[] {
  const learning = new Set<string>();
  for (const d of decisions) if (d.ranking.strategy === 'bandit') for (const a of d.ranking.segments) learning.add(a);
  return ['*', ...[...learning].filter((a) => Object.hasOwn(profile.audiences ?? {}, a)).sort()];
}

export interface DecisionInput {
  profile: Profile;
  now: Date;
  /** Offers the profile or everyone already got as often as their caps allow. */
  capped: ReadonlySet<string>;
  stats: ReadonlyMap<string, OfferStats>;
  /** The profile's purchases, when the ranking weighs affinity. */
  purchases?: Purchases;
  /** Uniform random numbers in [0, 1): seeded in tests and simulations. */
  random: () => number;
}

export interface DecisionResult {
  offers: Offer[];
  /** Why: the eligible offers and their scores, for the decision log. */
  considered: Array<{ id: string; score: number }>;
  fallback: boolean;
}

const eligibilityCache = new WeakMap<Offer, (p: Profile, now: Date) => boolean>();
function eligible(offer: Offer): (p: Profile, now: Date) => boolean {
  let test = eligibilityCache.get(offer);
  if (!test) {
    const where = offer.eligibility;
    const set = where ? compileAudiences([{ id: 'offer', where: where as AudiencePredicate }]) : undefined;
    test = (p, now) => !set || evaluateAudiences(set, p, new Map(), now.getTime()).get('offer') === true;
    eligibilityCache.set(offer, test);
  }
  return test;
}

/** Picks the offers of a decision for one person now. */
export function decide(decision: Decision, offers: readonly Offer[], input: DecisionInput): DecisionResult {
  const inCollection = offers.filter((o) => o.tags.some((t) => decision.tags.includes(t)) && Object.hasOwn(o.content, decision.placement));
  const live = inCollection.filter(
    (o) => !input.capped.has(o.id) && (!o.startsAt || Date.parse(o.startsAt) <= input.now.getTime()) && (!o.endsAt || input.now.getTime() < Date.parse(o.endsAt)) && eligible(o)(input.profile, input.now),
  );
  const score = (o: Offer): number => {
    const r = decision.ranking;
    if (r.strategy === 'priority') return o.priority;
    if (r.strategy === 'formula') {
      const weighed = Object.entries(r.weights).reduce((s, [k, w]) => s + w * (o.attributes[k] ?? 0), 0) + r.priorityWeight * o.priority;
      const scored = Object.entries(r.scores ?? {}).reduce((sum, [model, weights]) => sum + (input.profile.scores?.[model] ?? 0) * Object.entries(weights).reduce((t, [k, w]) => t + w * (o.attributes[k] ?? 0), 0), 0);
      return weighed + scored + (r.affinity ? r.affinity.weight * affinityOf(o, input.purchases) : 0);
    }
    const s = input.stats.get(o.id) ?? { displays: 0, clicks: 0 };
    const wins = r.reward === 'click' ? s.clicks : (s.conversions ?? 0);
    return beta(1 + wins, 1 + Math.max(0, s.displays - wins), input.random);
  };
  let considered = live.map((o) => ({ id: o.id, score: score(o) }));
  // The exploration floor: now and then, a random order instead of the learned one.
  if (decision.ranking.strategy === 'bandit' && input.random() < decision.ranking.exploration) considered = considered.map((c) => ({ ...c, score: input.random() }));
  considered.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  const chosen = considered.slice(0, decision.count).map((c) => live.find((o) => o.id === c.id)!);
  if (chosen.length > 0) return { offers: chosen, considered, fallback: false };
  const fallback = offers.find((o) => o.id === decision.fallback);
  return { offers: fallback ? [fallback] : [], considered, fallback: true };
}

/** A seeded generator (mulberry32), for simulations and tests. */
export function seeded(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OfferCounters {
  claim(offer: Offer, profileId: string): Promise<boolean>;
  drawCode(offer: Offer): Promise<string | undefined>;
}

/**
 * Decides, then takes each chosen offer's place under its caps (and a code, if it has a pool), in rank order:
 * an offer capped meanwhile gives way to the next one; when none can be had, the fallback.
 */
export async function decideAndClaim(
  decision: Decision,
  offers: readonly Offer[],
  input: DecisionInput,
  counters: OfferCounters,
): Promise<DecisionResult & { codes: Record<string, string> }> {
  const ranked = decide({ ...decision, count: offers.length }, offers, input);
  const chosen: Offer[] = [];
  const codes: Record<string, string> = {};
  if (!ranked.fallback) {
    for (const offer of ranked.offers) {
      if (chosen.length >= decision.count) break;
      if (!(await counters.claim(offer, input.profile.id))) continue;
      if (offer.codes) {
        const code = await counters.drawCode(offer);
        if (code === undefined) continue;
        codes[offer.id] = code;
      }
      chosen.push(offer);
    }
  }
  if (chosen.length > 0) return { offers: chosen, considered: ranked.considered, fallback: false, codes };
  const fallback = offers.find((o) => o.id === decision.fallback);
  return { offers: fallback ? [fallback] : [], considered: ranked.considered, fallback: true, codes };
}
