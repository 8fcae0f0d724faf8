import type { Clock, ProfileStore } from '../ports';
import { readPath } from './predicate';
import { applyUpdate, viewOf, type ProfileUpdate, type ProfileView } from './profile';
import { changeProfile } from './profile-writes';
import { nextVisit, type StepVisits } from './visits';

/** The payload of an updateProfile task (see statemachines/compile/steps/update-profile.ts). */
export interface ProfileUpdateTask extends ProfileUpdate {
  operation: 'update';
  stepId: string;
  executionId: string;
  profileId: string;
  event: unknown;
  steps: StepVisits;
}

export async function updateProfileStep(task: ProfileUpdateTask, deps: { profiles: ProfileStore; clock: Clock }): Promise<{ visit: number } & ProfileView> {
  const visit = nextVisit(task.steps, task.stepId);
  const key = `${task.executionId}#${task.stepId}#${visit}`;
  const profile = await changeProfile(task.profileId, deps, (current, now) =>
    applyUpdate(current, task, key, (path) => readPath({ event: task.event, profile: viewOf(current) }, path), now),
  );
  return { visit, ...viewOf(profile) };
}
