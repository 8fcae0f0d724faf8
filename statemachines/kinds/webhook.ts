import * as z from 'zod';
import { stepId, templateName } from '../schema/ids';
import { ACTION_FAILED_STATE, WEBHOOK_ERRORS, type TaskPayload, type WebhookTask } from '../contract';
import { FILLS, nextAndOnError, type StepKind } from './kind';
import { effectTask } from './tasks';

const schema = z
  .strictObject({
    type: z.literal('webhook'),
    action: templateName.describe('A named action of the workspace: actions/<action>.json.'),
    next: stepId,
    onError: stepId.optional().describe('Taken when the call failed for good (4xx, timeout, retries spent); without it the run ends in ActionFailed.'),
  })
  .meta({ description: 'Calls a named custom action (an HTTPS request), retried on 429 and 5xx.' });
export type WebhookStep = z.infer<typeof schema>;

/** One task on the webhook function: retried on 429 and 5xx (with the same Idempotency-Key), else onError. */
export const webhook: StepKind<WebhookStep> = {
  schema,
  refs: nextAndOnError,
  waits: false,
  countsItself: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  label: (s) => `call ${s.action}`,
  look: { fill: FILLS.effect, shape: 'box' },
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: `Call ${s.action}`,
      functionName: ctx.resources.webhook,
      payload: {
        action: s.action,
        stepId: ctx.id,
        'runId.$': '$.run.id',
        'journey.$': '$.journey',
        'profileId.$': '$.profileId',
        'event.$': '$.event',
        'steps.$': '$.steps',
      } satisfies TaskPayload<WebhookTask>,
      result: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status' },
      retry: [{ ErrorEquals: [WEBHOOK_ERRORS.retryable], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' }],
      catch: [{ ErrorEquals: [WEBHOOK_ERRORS.retryable, WEBHOOK_ERRORS.failed], ResultPath: '$.error', Next: s.onError ? ctx.target(s.onError) : ACTION_FAILED_STATE }],
      next: ctx.target(s.next),
    }),
  }),
};
