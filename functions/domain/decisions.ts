import { createHash, randomUUID } from 'node:crypto';
import type { DecideTask } from '../../statemachines/contract';
import type { Clock, EventStore, ProfileStore } from '../ports';
import { decideAndClaim, purchasesOf, segmentOf, type Decision, type Offer, type OfferCounters, type OfferStats, type OutcomeKind } from './offers';
import { emptyProfile, type Profile } from './profile';
import { loadProfile } from './profile-writes';
import { nextVisit } from './visits';

// One decision for one person, wherever it is asked (POST /decisions, a journey's decide step): outcomes read
// for the bandit, purchases read for affinity, caps and codes claimed, the decision logged under the profile.
// Asked again with the same key (a retried task, a repeated Idempotency-Key), it answers what it answered.

/** Outcomes per offer and segment, counted from offer.* events (each event once). */
export interface OfferStatsStore {
  read(offerIds: readonly string[], segment: string): Promise<Map<string, OfferStats>>;
  record(eventId: string, offerId: string, kind: OutcomeKind, segments: readonly string[]): Promise<void>;
}

export interface DecisionAnswer {
  decisionId: string;
  decision: string;
  at: string;
  fallback: boolean;
  offers: Array<{ id: string; content: Record<string, unknown>; code?: string }>;
}

export interface LoggedDecision {
  id: string;
  at: string;
  decision: string;
  offers: string[];
  /** Why: every eligible offer's score, and the outcomes' segment. */
  considered: Array<{ id: string; score: number }>;
  segment: string;
  fallback: boolean;
  answer: DecisionAnswer;
}

/** The decision log, under the profile (so export and erasure reach it). */
export interface DecisionLog {
  get(profileId: string, id: string): Promise<LoggedDecision | undefined>;
  /** Writes the entry unless one with its id is there; false then. */
  put(profileId: string, entry: LoggedDecision): Promise<boolean>;
}

export interface DecisionDeps {
  offers(): readonly Offer[];
  counters: OfferCounters;
  stats: OfferStatsStore;
  decisionLog: DecisionLog;
  events: Pick<EventStore, 'history'>;
  clock: Clock;
  random?: () => number;
}

/** A decision id from a caller's key: fixed length, nothing personal. */
export const decisionIdOf = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 32);

/**
 * Decides for a profile (`known` false: someone not known yet, nothing logged). With a key, the same key
 * answers the same, and caps and codes are claimed once.
 */
export async function makeDecision(decision: Decision, profile: Profile, known: boolean, key: string | undefined, deps: DecisionDeps): Promise<DecisionAnswer> {
  const id = key ? decisionIdOf(key) : randomUUID();
  if (known && key) {
    const logged = await deps.decisionLog.get(profile.id, id);
    if (logged) return logged.answer;
  }
  const now = deps.clock.now();
  const offers = deps.offers();
  const ranking = decision.ranking;
  const segment = segmentOf(decision, profile);
  const candidates = offers.filter((o) => o.tags.some((t) => decision.tags.includes(t))).map((o) => o.id);
  const stats = ranking.strategy === 'bandit' ? await deps.stats.read(candidates, segment) : new Map<string, OfferStats>();
  const affinity = ranking.strategy === 'formula' ? ranking.affinity : undefined;
  const purchases =
    affinity && known ? purchasesOf(await deps.events.history(profile.id, new Date(now.getTime() - affinity.days * 86_400_000).toISOString(), affinity.events), affinity.facets) : undefined;
  const result = await decideAndClaim(decision, offers, { profile, now, capped: new Set(), stats, ...(purchases ? { purchases } : {}), random: deps.random ?? Math.random }, deps.counters);
  const answer: DecisionAnswer = {
    decisionId: id,
    decision: decision.id,
    at: now.toISOString(),
    fallback: result.fallback,
    offers: result.offers.map((o) => ({ id: o.id, content: o.content[decision.placement] ?? {}, ...(result.codes[o.id] ? { code: result.codes[o.id] } : {}) })),
  };
  if (!known) return answer;
  const entry: LoggedDecision = { id, at: answer.at, decision: decision.id, offers: answer.offers.map((o) => o.id), considered: result.considered, segment, fallback: result.fallback, answer };
  if (await deps.decisionLog.put(profile.id, entry)) return answer;
  // A twin with the same key got there first: its answer stands (what this one claimed stays unused).
  return (await deps.decisionLog.get(profile.id, id))?.answer ?? answer;
}

/** The payload of a decide step's Task. */
export type { DecideTask };

/** A journey's decide step: the decision for the run's profile, keyed by execution, step and visit. */
export async function decideInJourney(
  task: DecideTask,
  deps: DecisionDeps & { decisions: (id: string) => Decision | undefined; profiles: ProfileStore },
): Promise<{ visit: number; at: string; fallback: boolean; offers: DecisionAnswer['offers'] }> {
  const decision = deps.decisions(task.decision);
  // The compiler checked the name against the workspace: a missing one is a deploy out of step.
  if (!decision) throw new Error(`no decision "${task.decision}"`);
  const visit = nextVisit(task.steps, task.stepId);
  const known = await loadProfile(deps.profiles, task.profileId);
  const profile = known ?? emptyProfile(task.profileId, deps.clock.now().toISOString());
  const answer = await makeDecision(decision, profile, known !== undefined, `${task.runId}#${task.stepId}#${visit}`, deps);
  return { visit, at: answer.at, fallback: answer.fallback, offers: answer.offers };
}
