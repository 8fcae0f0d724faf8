import * as z from 'zod';
import { stepId, templateName } from '../ids';

export const emailStep = z
  .strictObject({
    type: z.literal('email'),
    template: templateName,
    next: stepId,
    onError: stepId.optional(),
  })
  .meta({ description: 'Renders an email template and sends it with SES; a permanent failure goes to `onError`.' });
export type EmailStep = z.infer<typeof emailStep>;
