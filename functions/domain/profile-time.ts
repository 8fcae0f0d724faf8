import { loadProfile } from './profile-writes';
import type { BestTimeTask, LocalTimeTask as LocalTimeTaskPayload } from '../../statemachines/contract';
import type { Clock, EventStore, LearnedStore, ProfileStore } from '../ports';
import type { Profile } from './profile';
import { ENGAGEMENT_DAYS, ENGAGEMENT_EVENTS, bestTime, engagementHours, isHeld, pattern, type BestTime } from './send-time';
import { knownTimeZone, nextLocalTime, waitTimestamp, type Weekday } from './local-time';

/** The payload of a wait step's atLocalTime task (statemachines/contract.ts), its days as weekdays. */
export interface LocalTimeTask extends Omit<LocalTimeTaskPayload, 'days'> {
  days?: Weekday[];
}

/** The next moment it is `atLocalTime` where the profile is (attribute timeZone, read now; UTC when unknown). */
export async function profileLocalTime(task: LocalTimeTask, deps: { profiles: ProfileStore; clock: Clock }): Promise<{ at: string; timeZone: string }> {
  const profile = await loadProfile(deps.profiles, task.profileId);
  const timeZone = knownTimeZone(profile?.attributes.timeZone);
  const at = waitTimestamp(nextLocalTime(deps.clock.now(), task.atLocalTime, timeZone, task.days));
  return { at, timeZone };
}

/**
 * A profile's best hour within `withinSeconds` of `now` (send-time.ts): its engagement of the last
 * ENGAGEMENT_DAYS by hour of week where it is, against the population's pattern (uniform until the learning job
 * has run). A held profile goes now, and its history is not read. For message steps and campaigns alike.
 */
export async function bestTimeOf(profile: Profile | undefined, request: { now: Date; withinSeconds: number; held: boolean }, deps: { events: EventStore; learned?: Pick<LearnedStore, 'pattern'> }): Promise<BestTime> {
  const { now, held } = request;
  const timeZone = knownTimeZone(profile?.attributes.timeZone);
  const history = profile && !held ? await deps.events.history(profile.id, new Date(now.getTime() - ENGAGEMENT_DAYS * 86_400_000).toISOString(), ENGAGEMENT_EVENTS) : [];
  const population = (await deps.learned?.pattern())?.pattern ?? pattern([]);
  return bestTime({ now, withinSeconds: request.withinSeconds, timeZone, own: engagementHours(history, timeZone), population, held });
}

/** A message step's best-time task: its best hour, and `now`, which tells the state machine to skip the wait. */
export async function profileBestTime(task: BestTimeTask, deps: { profiles: ProfileStore; events: EventStore; learned: Pick<LearnedStore, 'pattern'>; clock: Clock }): Promise<BestTime & { now: boolean }> {
  const profile = await loadProfile(deps.profiles, task.profileId);
  const now = deps.clock.now();
  const held = isHeld(profile?.id ?? task.profileId, `${task.journeyId}:${task.stepId}`, task.holdout);
  const best = await bestTimeOf(profile, { now, withinSeconds: task.withinSeconds, held }, deps);
  return { ...best, now: Date.parse(best.at) <= now.getTime() };
}
