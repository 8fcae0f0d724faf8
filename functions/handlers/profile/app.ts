import middy from '@middy/core';
import { viewOf, type ProfileView } from '../../domain/profile';
import { updateProfileStep, type ProfileUpdateTask } from '../../domain/profile-update';
import type { Clock, ProfileStore } from '../../ports';

type ProfileTask = { profileId: string; operation?: undefined } | ProfileUpdateTask;

/**
 * The journeys' profile tasks: reload a profile for a condition (an unknown profile has no attributes), or
 * apply an updateProfile step.
 */
export function createProfileHandler(deps: { profiles: ProfileStore; clock: Clock }) {
  return middy<ProfileTask, ProfileView & { visit?: number }>().handler(async (task) => {
    if (task.operation === 'update') return updateProfileStep(task, deps);
    const profile = await deps.profiles.get(task.profileId);
    return profile ? viewOf(profile) : { id: task.profileId, attributes: {} };
  });
}
