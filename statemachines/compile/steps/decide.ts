import type { DecideStep } from '../../schema/steps';
import { effectTask, type StepKind } from '../context';

/**
 * One task on the decide function. Keyed by execution, step and visit like a send, so a retry answers the
 * same offers and claims caps and codes once. The offers stay in `$.steps.<id>`: the send function reads the
 * latest decision's for the template's `offers`.
 */
export const decide: StepKind<DecideStep> = {
  refs: (s) => [{ path: ['next'], to: s.next }],
  waits: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: `Decide ${s.decision}`,
      functionName: ctx.resources.decide,
      payload: {
        decision: s.decision,
        stepId: ctx.id,
        'executionId.$': '$$.Execution.Id',
        'profileId.$': '$.profileId',
        'steps.$': '$.steps',
      },
      result: { 'visit.$': '$.Payload.visit', 'at.$': '$.Payload.at', 'fallback.$': '$.Payload.fallback', 'offers.$': '$.Payload.offers' },
      next: ctx.target(s.next),
    }),
  }),
};
