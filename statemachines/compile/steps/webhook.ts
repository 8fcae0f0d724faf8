import type { WebhookStep } from '../../schema/steps';
import { ACTION_FAILED_STATE, effectTask, nextAndOnError, type StepKind } from '../context';

export const WEBHOOK_ERRORS = { retryable: 'WebhookRetryableError', failed: 'WebhookFailedError' } as const;

/** One task on the webhook function: retried on 429 and 5xx (with the same Idempotency-Key), else onError. */
export const webhook: StepKind<WebhookStep> = {
  refs: nextAndOnError,
  waits: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: `Call ${s.action}`,
      functionName: ctx.resources.webhook,
      payload: {
        action: s.action,
        stepId: ctx.id,
        'executionId.$': '$$.Execution.Id',
        'journey.$': '$.journey',
        'profileId.$': '$.profileId',
        'event.$': '$.event',
        'steps.$': '$.steps',
      },
      result: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status' },
      retry: [{ ErrorEquals: [WEBHOOK_ERRORS.retryable], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' }],
      catch: [{ ErrorEquals: [WEBHOOK_ERRORS.retryable, WEBHOOK_ERRORS.failed], ResultPath: '$.error', Next: s.onError ? ctx.target(s.onError) : ACTION_FAILED_STATE }],
      next: ctx.target(s.next),
    }),
  }),
};
