import type { UpdateProfileStep } from '../../schema/steps';
import { effectTask, type StepKind } from '../context';

/**
 * One Lambda task (the profile function). Like a send, the update is keyed by execution, step and visit
 * (`$.steps` carries each step's visits), so a retried task never increments twice. The stored profile changed, so
 * a later condition on it reloads it.
 */
export const updateProfile: StepKind<UpdateProfileStep> = {
  refs: (s) => [{ path: ['next'], to: s.next }],
  waits: false,
  profileAfter: () => 'stale',
  entry: (id) => id,
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: 'Update the profile',
      functionName: ctx.resources.profile,
      payload: {
        operation: 'update',
        stepId: ctx.id,
        'executionId.$': '$$.Execution.Id',
        'profileId.$': '$.profileId',
        'event.$': '$.event',
        'steps.$': '$.steps',
        ...(s.set ? { set: s.set } : {}),
        ...(s.increment ? { increment: s.increment } : {}),
        ...(s.unset ? { unset: s.unset } : {}),
      },
      result: { 'visit.$': '$.Payload.visit' },
      next: ctx.target(s.next),
    }),
  }),
};
