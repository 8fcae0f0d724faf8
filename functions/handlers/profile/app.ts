import middy from '@middy/core';
import { viewOf, type ProfileView } from '../../domain/profile';
import type { ProfileStore } from '../../ports';

/** Reloads a profile for a condition step after time has passed. An unknown profile has no attributes. */
export function createProfileHandler(deps: { profiles: ProfileStore }) {
  return middy<{ profileId: string }, ProfileView>().handler(async ({ profileId }) => {
    const profile = await deps.profiles.get(profileId);
    return profile ? viewOf(profile) : { id: profileId, attributes: {} };
  });
}
