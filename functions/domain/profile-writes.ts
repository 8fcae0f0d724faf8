import type { Clock, ProfileStore } from '../ports';
import { ConcurrentUpdateError } from './errors';
import { emptyProfile, type Profile } from './profile';

const MAX_ATTEMPTS = 8;

/**
 * Changes a profile with optimistic locking: read, change, conditional write, again on conflict. `change`
 * returns undefined when there is nothing to write. Returns the profile as stored.
 */
export async function changeProfile(
  id: string,
  deps: { profiles: ProfileStore; clock: Clock },
  change: (current: Profile, now: string) => Profile | undefined,
): Promise<Profile> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const now = deps.clock.now().toISOString();
    const current = (await deps.profiles.get(id)) ?? emptyProfile(id, now);
    const next = change(current, now);
    if (!next) return current;
    if (await deps.profiles.put(next, current.version)) return next;
  }
  throw new ConcurrentUpdateError(`profile kept changing during ${MAX_ATTEMPTS} attempts`);
}
