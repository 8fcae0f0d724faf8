import type { WebhookStep } from '../../schema/steps';
import { ACTION_FAILED_STATE, LAMBDA_TRANSIENT_RETRY, type StepKind } from '../context';

export const WEBHOOK_ERRORS = { retryable: 'WebhookRetryableError', failed: 'WebhookFailedError' } as const;

/** One task on the webhook function: retried on 429 and 5xx (with the same Idempotency-Key), else onError. */
export const webhook: StepKind<WebhookStep> = {
  refs: (s) => [{ path: ['next'], to: s.next }, ...(s.onError ? [{ path: ['onError'], to: s.onError }] : [])],
  waits: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  states: (s, ctx) => ({
    [ctx.id]: {
      Type: 'Task',
      Comment: `Call ${s.action}`,
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: ctx.resources.webhook,
        Payload: {
          action: s.action,
          stepId: ctx.id,
          'executionId.$': '$$.Execution.Id',
          'journey.$': '$.journey',
          'profileId.$': '$.profileId',
          'event.$': '$.event',
          'steps.$': '$.steps',
        },
      },
      ResultSelector: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status' },
      ResultPath: `$.steps.${ctx.id}`,
      Retry: [
        { ErrorEquals: [WEBHOOK_ERRORS.retryable], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' },
        LAMBDA_TRANSIENT_RETRY,
      ],
      Catch: [{ ErrorEquals: [WEBHOOK_ERRORS.retryable, WEBHOOK_ERRORS.failed], ResultPath: '$.error', Next: s.onError ? ctx.target(s.onError) : ACTION_FAILED_STATE }],
      Next: ctx.target(s.next),
    },
  }),
};
