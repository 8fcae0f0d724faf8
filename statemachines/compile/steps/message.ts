import type { MessageChannel } from '../../schema/steps/message';
import { SEND_ERRORS, SEND_FAILED_STATE, effectTask, nextAndOnError, type StepKind } from '../context';

interface MessageStepShape {
  type: MessageChannel;
  template: string;
  next: string;
  onError?: string | undefined;
}

/**
 * One Task per message, whatever the channel. The send function keys its ledger on execution, step and
 * visit: `steps` carries the visit count of each step, so a step inside a loop is a new send each time round
 * and a retry is not.
 */
export function messageKind<S extends MessageStepShape>(channel: MessageChannel, label: string): StepKind<S> {
  return {
    refs: nextAndOnError,
    waits: false,
    profileAfter: () => 'unchanged',
    entry: (id) => id,
    states: (s, ctx) => ({
      [ctx.id]: effectTask(ctx, {
        comment: `${label} ${s.template}`,
        functionName: ctx.resources.send,
        payload: {
          channel,
          stepId: ctx.id,
          template: s.template,
          'journey.$': '$.journey',
          'executionId.$': '$$.Execution.Id',
          'profileId.$': '$.profileId',
          'event.$': '$.event',
          'steps.$': '$.steps',
        },
        result: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status' },
        retry: [
          { ErrorEquals: [SEND_ERRORS.throttled, SEND_ERRORS.inProgress], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
        ],
        catch: [{ ErrorEquals: [SEND_ERRORS.permanent], ResultPath: '$.error', Next: s.onError ? ctx.target(s.onError) : SEND_FAILED_STATE }],
        next: ctx.target(s.next),
      }),
    }),
  };
}
