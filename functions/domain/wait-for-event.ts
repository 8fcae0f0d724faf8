import type { WaitTask } from '../../statemachines/contract';
import type { Clock, Executions, JourneyVersions, ProfileStore, ResumeSchedules, TaskTokens, WaitingStore } from '../ports';
import { consumableBy, resume } from './continuations';
import { loadProfile } from './profile-writes';
import type { BusDetail } from './events';
import { cachedPredicate } from './predicate';
import { earlierEvent, type LookBackDeps } from './look-back';

/** The payload of a waitForEvent task. */
export type { WaitTask };

/** Files the task token under the profile and the awaited event type; with `since`, answers it at once if the event came already. */
export async function fileWait(task: WaitTask, deps: { waits: WaitingStore; profiles: ProfileStore; clock: Clock } & LookBackDeps): Promise<void> {
  // Under the profile that holds the person now: a merge may have happened since the execution started.
  const profile = await loadProfile(deps.profiles, task.profileId);
  const profileId = profile?.id ?? task.profileId;
  const item = {
    profileId,
    eventType: task.event,
    key: `${task.runId}#${task.stepId}`,
    taskToken: task.taskToken,
    journeyId: task.journey.id,
    stepId: task.stepId,
    ...(task.where ? { where: task.where } : {}),
    // Kept a day past the timeout; Step Functions has stopped waiting by then.
    expiresAt: Math.floor(deps.clock.now().getTime() / 1000) + task.timeoutSeconds + 86_400,
  };
  await deps.waits.file(item);
  if (!task.since || !profile) return;
  if (!deps.events || !deps.tokens) throw new Error('a wait since entry needs the event history and the task tokens');
  const earlier = await earlierEvent(profile, { event: task.event, ...(task.where ? { where: task.where } : {}), journeyId: task.journey.id }, task.since, deps.events);
  if (!earlier) return;
  await deps.tokens.succeed(task.taskToken, earlier);
  await deps.waits.remove(item);
}

export interface ResumeDeps {
  waits: WaitingStore;
  tokens: TaskTokens;
  /** Express: parked runs start their next segment, on the version they entered. */
  executions: Executions;
  schedules: ResumeSchedules;
  versions?: JourneyVersions;
}

/**
 * Resumes the profile's tasks waiting for this event type whose `where` holds. Step Functions accepts one
 * answer per token, so an event processed twice, or two events at once, resume a task once; the item is
 * removed only after Step Functions answered, so a crash in between is mended by the ingest retry.
 */
export async function resumeWaiting(detail: BusDetail, deps: ResumeDeps): Promise<number> {
  const { event, profile } = detail;
  let resumed = 0;
  for (const item of await deps.waits.forEvent(event.profileId, event.type)) {
    if (item.where && !cachedPredicate(item.where)({ event, profile, journey: { id: item.journeyId } })) continue;
    if (item.continuation) {
      // A parked run: the conditional consume decides between this event and the schedule. The tombstone stays.
      if (consumableBy(item.continuation, { kind: 'event', event }) && (await resume(item, { kind: 'event', event }, deps)) === 'resumed') resumed += 1;
      continue;
    }
    if ((await deps.tokens.succeed(item.taskToken!, event)) === 'resumed') resumed += 1;
    await deps.waits.remove(item);
  }
  return resumed;
}
