import type { JumpStep } from '../../schema/steps';
import { LAMBDA_TRANSIENT_RETRY, type StepKind } from '../context';

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
    [ctx.id]: {
      Type: 'Task',
      Comment: `Enter journey ${s.journey}`,
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: ctx.resources.jump,
        Payload: {
          stepId: ctx.id,
          target: s.journey,
          'executionId.$': '$$.Execution.Id',
          'event.$': '$.event',
          'profile.$': '$.profile',
          'steps.$': '$.steps',
        },
      },
      ResultSelector: { 'visit.$': '$.Payload.visit' },
      ResultPath: `$.steps.${ctx.id}`,
      Retry: [LAMBDA_TRANSIENT_RETRY],
      ...(s.next ? { Next: ctx.target(s.next) } : { End: true as const }),
    },
  }),
};
