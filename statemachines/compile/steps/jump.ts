import type { JumpStep } from '../../schema/steps';
import { effectTask, type StepKind } from '../context';

/**
 * One task: the jump function puts a `journey.jump` event on the bus, which the target journey's jump rule
 * takes to the starter. No state machine names another, so journeys can jump to each other both ways.
 */
export const jump: StepKind<JumpStep> = {
  refs: (s) => (s.next ? [{ path: ['next'], to: s.next }] : []),
  waits: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: `Enter journey ${s.journey}`,
      functionName: ctx.resources.jump,
      payload: { stepId: ctx.id, target: s.journey, 'executionId.$': '$$.Execution.Id', 'event.$': '$.event', 'profile.$': '$.profile', 'steps.$': '$.steps' },
      result: { 'visit.$': '$.Payload.visit' },
      ...(s.next ? { next: ctx.target(s.next) } : {}),
    }),
  }),
};
