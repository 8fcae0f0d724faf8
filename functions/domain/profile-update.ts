import type { Clock, ProfileStore } from '../ports';
import type { UpdateProfileTask } from '../../statemachines/contract';
import { readPath } from './predicate';
import { applyUpdate, viewOf, type ProfileUpdate, type ProfileView } from './profile';
import { changeProfile } from './profile-writes';
import { nextVisit } from './visits';

/** The payload of an updateProfile task (statemachines/contract.ts), with the values as the domain reads them. */
export interface ProfileUpdateTask extends Omit<UpdateProfileTask, 'set' | 'increment' | 'unset'>, ProfileUpdate {}

export async function updateProfileStep(task: ProfileUpdateTask, deps: { profiles: ProfileStore; clock: Clock }): Promise<{ visit: number } & ProfileView> {
  const visit = nextVisit(task.steps, task.stepId);
  const key = `${task.runId}#${task.stepId}#${visit}`;
  const profile = await changeProfile(task.profileId, deps, (current, now) =>
    applyUpdate(current, task, key, (path) => readPath({ event: task.event, profile: viewOf(current) }, path), now),
  );
  return { visit, ...viewOf(profile) };
}
