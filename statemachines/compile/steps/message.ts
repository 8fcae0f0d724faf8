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
    states: (s, ctx) => {
      const task = effectTask(ctx, {
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
        result: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status', ...(ctx.deferrableSends ? { 'at.$': '$.Payload.at' } : {}) },
        retry: [
          { ErrorEquals: [SEND_ERRORS.throttled, SEND_ERRORS.inProgress], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
        ],
        catch: [{ ErrorEquals: [SEND_ERRORS.permanent], ResultPath: '$.error', Next: s.onError ? ctx.target(s.onError) : SEND_FAILED_STATE }],
        next: ctx.deferrableSends ? deferredName(ctx.id) : ctx.target(s.next),
      });
      if (!ctx.deferrableSends) return { [ctx.id]: task };
      // Quiet hours: the send answers "deferred" with the time the window ends; wait until then, send again.
      return {
        [ctx.id]: task,
        [deferredName(ctx.id)]: {
          Type: 'Choice',
          Comment: `Quiet hours: ${s.template} waits for the window's end`,
          Choices: [{ Variable: `$.steps.${ctx.id}.status`, StringEquals: 'deferred', Next: quietName(ctx.id) }],
          Default: ctx.target(s.next),
        },
        [quietName(ctx.id)]: { Type: 'Wait', TimestampPath: `$.steps.${ctx.id}.at`, Next: ctx.id },
      };
    },
  };
}

const deferredName = (id: string) => `${id}.deferred?`;
const quietName = (id: string) => `${id}.quiet`;
