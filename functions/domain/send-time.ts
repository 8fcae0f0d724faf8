import { bucketOf } from './buckets';
import { wallClock, waitTimestamp } from './local-time';

// Send-time optimisation: when in the next window is this person most likely to engage? Pure.
//
// Each engagement in the profile's history (an open, a click, an app open) counts in one of the 168 hours of
// the week, on the profile's wall clock. The estimate for an hour is the mean of a Dirichlet posterior: the
// profile's own counts, plus its counts at the same hour on other days (a person who opens at 19:00 on Monday
// likely does on Tuesday), plus a prior of PRIOR_STRENGTH pseudo-engagements spread as the population's
// pattern. With no history the population's best hour wins; with a lot the person's own.

export const HOURS_OF_WEEK = 168;
/** The events that count as engagement: what a person does when a message reached them. */
export const ENGAGEMENT_EVENTS = ['email.opened', 'email.clicked', 'push.opened', 'inbox.viewed', 'inbox.clicked', 'app.opened', 'Application Opened'] as const;
/** How far back the history is read. */
export const ENGAGEMENT_DAYS = 90;
/**
 * The population's pattern weighs as much as this many engagements of the person's: one open at an hour the
 * population rarely uses does not outweigh the population's peak; a handful do.
 */
export const PRIOR_STRENGTH = 40;
/** The person's same hour on other days weighs this much against the hour itself. */
export const DAILY_POOLING = 1;

/** Hour of the week on the zone's wall clock: 0 is Monday 00:00-00:59, 167 Sunday 23:00-23:59. */
export function hourOfWeek(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return ((w.weekday + 6) % 7) * 24 + w.hour;
}

/** Counts per hour of week of the engagements in a history. */
export function engagementHours(history: ReadonlyArray<{ type: string; timestamp: string }>, timeZone: string): number[] {
  const counts = new Array<number>(HOURS_OF_WEEK).fill(0);
  const kinds = new Set<string>(ENGAGEMENT_EVENTS);
  for (const e of history) if (kinds.has(e.type)) counts[hourOfWeek(new Date(e.timestamp), timeZone)]! += 1;
  return counts;
}

/** Shares per hour of week summing to 1 (uniform when nothing is counted). */
export function pattern(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return total === 0 ? new Array<number>(HOURS_OF_WEEK).fill(1 / HOURS_OF_WEEK) : counts.map((c) => c / total);
}

/** The posterior mean engagement share of each hour of week (see the top of this file). */
export function posterior(own: readonly number[], population: readonly number[]): number[] {
  const daily = new Array<number>(24).fill(0);
  own.forEach((c, h) => (daily[h % 24]! += c));
  const weights = own.map((c, h) => c + (DAILY_POOLING * (daily[h % 24]! - c)) / 6 + PRIOR_STRENGTH * (population[h] ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

export interface BestTime {
  /** When to send: now, or the start of the best hour in the window (RFC 3339, whole seconds). */
  at: string;
  /** `best`, or `held` for the share sent at once to measure the lift. */
  group: 'best' | 'held';
  /** The hour of week chosen, on the profile's clock. */
  hour: number;
}

/** Whether the profile is in the held share for a key (a step, a campaign, a model): its bucket (buckets.ts). */
export const isHeld = (profileId: string, key: string, share: number): boolean => share > 0 && bucketOf(profileId, key) < share;

/**
 * The best moment within `withinSeconds` of `now`: each hour that starts in the window (and the current one,
 * from now) is scored by the posterior; the highest wins, the earliest among equals. Deterministic for a given
 * history, population pattern and now.
 */
export function bestTime(input: { now: Date; withinSeconds: number; timeZone: string; own: readonly number[]; population: readonly number[]; held?: boolean }): BestTime {
  const now = input.now.getTime();
  const current = hourOfWeek(input.now, input.timeZone);
  if (input.held) return { at: waitTimestamp(input.now), group: 'held', hour: current };
  const scores = posterior(input.own, input.population);
  let best = { at: now, hour: current, score: scores[current]! };
  // Hour starts on the UTC hour grid; zones with a half-hour offset are scored by the hour they start in.
  for (let t = Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000; t < now + input.withinSeconds * 1000; t += 3_600_000) {
    const hour = hourOfWeek(new Date(t), input.timeZone);
    if (scores[hour]! > best.score + 1e-12) best = { at: t, hour, score: scores[hour]! };
  }
  return { at: waitTimestamp(new Date(best.at)), group: 'best', hour: best.hour };
}
