import { loadProfile } from './profile-writes';
import type { LocalTimeTask as LocalTimeTaskPayload } from '../../statemachines/contract';
import type { Clock, ProfileStore } from '../ports';
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
