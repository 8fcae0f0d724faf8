import * as z from 'zod';
import { stepId, templateName } from '../ids';

export const webhookStep = z
  .strictObject({
    type: z.literal('webhook'),
    action: templateName.describe('A named action of the workspace: actions/<action>.json.'),
    next: stepId,
    onError: stepId.optional().describe('Taken when the call failed for good (4xx, timeout, retries spent); without it the run ends in ActionFailed.'),
  })
  .meta({ description: 'Calls a named custom action (an HTTPS request), retried on 429 and 5xx.' });
export type WebhookStep = z.infer<typeof webhookStep>;
