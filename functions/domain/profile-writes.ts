import type { Clock, ProfileStore } from '../ports';
import { ConcurrentUpdateError } from './errors';
import { emptyProfile, type Profile } from './profile';

const MAX_ATTEMPTS = 12;
const MAX_HOPS = 8;

// Full jitter: writers that collided on a busy profile (a burst of events, merges) spread out.
const backoff = (attempt: number) => (attempt === 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt))));

/**
 * Changes a profile with optimistic locking: read, change, conditional write, again on conflict. `change`
 * returns undefined when there is nothing to write. Returns the profile as stored. A profile merged into
 * another forwards the change to the survivor (unless `followMerges` is false: the merge itself).
 */
export async function changeProfile(
  id: string,
  deps: { profiles: ProfileStore; clock: Clock; followMerges?: boolean },
  change: (current: Profile, now: string) => Profile | undefined,
): Promise<Profile> {
  let target = id;
  let hops = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    await backoff(attempt);
    const now = deps.clock.now().toISOString();
    const current = (await deps.profiles.get(target)) ?? emptyProfile(target, now);
    if (current.mergedInto && deps.followMerges !== false && hops < MAX_HOPS) {
      target = current.mergedInto;
      hops += 1;
      attempt -= 1; // following a merge is not a conflict
      continue;
    }
    const next = change(current, now);
    if (!next) return current;
    if (await deps.profiles.put(next, current.version)) return next;
  }
  throw new ConcurrentUpdateError(`profile kept changing during ${MAX_ATTEMPTS} attempts`);
}

/** A profile by id, following merges to the profile that holds the person now. */
export async function loadProfile(profiles: ProfileStore, id: string): Promise<Profile | undefined> {
  let target = id;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const profile = await profiles.get(target);
    if (!profile?.mergedInto) return profile;
    target = profile.mergedInto;
  }
  return undefined;
}
