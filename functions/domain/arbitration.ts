import type { Journey } from '../../statemachines';
import { parseDuration } from '../../statemachines/schema/duration';
import type { EntryCandidate, Run } from '../ports';
import type { BusDetail } from './events';
import { cachedPredicate } from './predicate';
import type { JourneyCap } from './rules';
import { claimAdmits, claimPolicy, correlationOf } from './runs';

export type { EntryCandidate };

// Arbitration between journeys, at entry. Every journey with a priority and an entry event is listed under its
// event type (the entry directory); the starter of each, given the same event, profile and runs, computes the
// same winner, so exactly one enters with no coordination between them. Journey caps (rules.json) are read
// from the profile's run records: entries within a period, runs at once.

/** A journey's listing in the entry directory: only a journey with an entry event and a priority has one. */
export function entryCandidate(journey: Pick<Journey, 'id' | 'entry' | 'priority' | 'reentry' | 'paused'>): (EntryCandidate & { event: string }) | undefined {
  if (journey.paused || journey.priority === undefined || journey.entry.event === undefined || journey.entry.fanOut) return undefined;
  const { when, correlateBy } = journey.entry;
  return { event: journey.entry.event, journeyId: journey.id, priority: journey.priority, ...(when ? { when } : {}), ...(journey.reentry ? { reentry: journey.reentry } : {}), ...(correlateBy ? { correlateBy } : {}) };
}

/**
 * The journey that enters on this event among the candidates: those whose entry condition holds and whose
 * re-entry rule admits the profile, the highest priority first, then the first id. Undefined when none does.
 * `nameOf` gives the execution name the event would start in a journey (the same entry, redelivered, stays in).
 */
export function arbitrate(candidates: readonly EntryCandidate[], detail: BusDetail, runs: readonly Run[], now: Date, nameOf: (journeyId: string) => string): string | undefined {
  const { event, profile } = detail;
  const qualifying = candidates.filter((c) => {
    if (c.when && !cachedPredicate(c.when)({ event, profile, journey: { id: c.journeyId } })) return false;
    const correlation = correlationOf(event, c);
    if (correlation === undefined) return false;
    // Admitted as its claim would be (a redelivered event finds its own run, and keeps its winner).
    return claimAdmits(runs.find((r) => r.journeyId === c.journeyId && r.correlation === correlation), claimPolicy(c.reentry, now), nameOf(c.journeyId));
  });
  qualifying.sort((a, b) => b.priority - a.priority || (a.journeyId < b.journeyId ? -1 : a.journeyId > b.journeyId ? 1 : 0));
  return qualifying[0]?.journeyId;
}

/** The caps that apply to a journey of this category: those without a category, and those of its own. */
export const capsFor = (caps: readonly JourneyCap[], category: string | undefined) => caps.filter((c) => c.category === undefined || c.category === category);

/**
 * The first cap an entry would break: the profile's journey runs (campaign sends aside, and this entry's own
 * run, if a redelivery finds it) counted by category when the cap has one.
 */
export function brokenCap(caps: readonly JourneyCap[], category: string | undefined, runs: readonly Run[], now: Date, name: string): JourneyCap | undefined {
  const journeyRuns = runs.filter((r) => r.arm === undefined && r.executionName !== name);
  for (const cap of capsFor(caps, category)) {
    const counted = cap.category === undefined ? journeyRuns : journeyRuns.filter((r) => r.category === cap.category);
    if (cap.concurrent !== undefined && counted.filter((r) => r.status === 'running').length >= cap.concurrent) return cap;
    if (cap.max !== undefined && cap.within !== undefined) {
      const since = now.getTime() - (parseDuration(cap.within) as { seconds: number }).seconds * 1000;
      if (counted.filter((r) => Date.parse(r.enteredAt) > since).length >= cap.max) return cap;
    }
  }
  return undefined;
}
