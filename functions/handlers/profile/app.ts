import { loadProfile } from '../../domain/profile-writes';
import middy from '@middy/core';
import { viewOf, type ProfileView } from '../../domain/profile';
import { updateProfileStep, type ProfileUpdateTask } from '../../domain/profile-update';
import { profileBestTime, profileLocalTime, type LocalTimeTask } from '../../domain/profile-time';
import type { BestTimeTask } from '../../../statemachines/contract';
import type { Bus, Clock, EventStore, LearnedStore, ProfileStore, ReportCounters } from '../../ports';
import { countStep, type CountTask } from '../../domain/reports';
import { audiencesAfterChange, type AudienceDeps } from '../../domain/audiences';

type ProfileTask = { profileId: string; operation?: undefined } | ProfileUpdateTask | LocalTimeTask | BestTimeTask | CountTask;

/**
 * The journeys' profile tasks: reload a profile for a condition (an unknown profile has no attributes),
 * apply an updateProfile step, find the next local time for a wait or the best hour for a message, or count a
 * step for the report.
 */
export function createProfileHandler(deps: { profiles: ProfileStore; events: EventStore; learned: Pick<LearnedStore, 'pattern'>; clock: Clock; audiences?: AudienceDeps & { bus: Bus }; reports?: ReportCounters }) {
  return middy<ProfileTask, (ProfileView & { visit?: number }) | { at: string; timeZone?: string } | { n: number }>().handler(async (task) => {
    if (task.operation === 'count') return countStep(task, deps);
    if (task.operation === 'update') {
      const result = await updateProfileStep(task, deps);
      // A profile change re-evaluates the audiences that read the profile, as an event's change does.
      if (deps.audiences) await audiencesAfterChange(result.id, `${task.runId}#${task.stepId}#${result.visit}`, deps.audiences);
      return result;
    }
    if (task.operation === 'localTime') return profileLocalTime(task, deps);
    if (task.operation === 'bestTime') return profileBestTime(task, deps);
    // Scores always (empty without any): the reload's ResultSelector reads them.
    const profile = await loadProfile(deps.profiles, task.profileId);
    return profile ? { ...viewOf(profile), scores: profile.scores ?? {} } : { id: task.profileId, attributes: {}, scores: {} };
  });
}
