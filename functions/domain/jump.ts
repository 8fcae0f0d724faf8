import { createHash } from 'node:crypto';
import type { JumpTask as JumpTaskPayload } from '../../statemachines/contract';
import { JUMP_SOURCE, JUMP_TYPE } from '../../statemachines/compile/rule';
import type { Bus } from '../ports';
import type { BusDetail } from './events';
import { nextVisit } from './visits';

/** The payload of a jump step's task (statemachines/contract.ts), with the event and profile as the bus carries them. */
export interface JumpTask extends Omit<JumpTaskPayload, 'event' | 'profile'> {
  event: BusDetail['event'];
  profile: BusDetail['profile'];
}

/**
 * Puts a jump on the bus for the target journey. The event keeps the data of the one that started this
 * journey, under an id derived from execution, step and visit: a retried jump starts nothing twice (the
 * target's execution name is made from it).
 */
export async function jumpToJourney(task: JumpTask, bus: Bus): Promise<{ visit: number }> {
  const visit = nextVisit(task.steps, task.stepId);
  const id = `jump-${createHash('sha256').update(`${task.runId}#${task.stepId}#${visit}`).digest('hex').slice(0, 32)}`;
  await bus.publish([{ source: JUMP_SOURCE, detailType: JUMP_TYPE, detail: { target: task.target, event: { ...task.event, id }, profile: task.profile } }]);
  return { visit };
}
