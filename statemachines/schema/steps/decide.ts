import * as z from 'zod';
import { stepId, templateName } from '../ids';

export const decideStep = z
  .strictObject({
    type: z.literal('decide'),
    decision: templateName.describe('A decision of the workspace: decisions/<decision>.json.'),
    next: stepId,
  })
  .meta({
    description:
      'Picks offers for the profile (eligibility, ranking, caps, codes), once per visit however often the task is retried. Message templates after it read them as {{#each offers}} (id, content, code).',
  });
export type DecideStep = z.infer<typeof decideStep>;
