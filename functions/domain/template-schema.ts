import * as z from 'zod';
import type { EmailTemplate } from './templates';

// Checked when a workspace is loaded (CDK synth, local runtime, jo validate), not in the send function.
export const emailTemplateSchema: z.ZodType<EmailTemplate> = z
  .strictObject({
    channel: z.literal('email'),
    subject: z.string().min(1).max(998),
    html: z.string().optional(),
    text: z.string().optional(),
  })
  .refine((t) => t.html !== undefined || t.text !== undefined, 'an email template needs html, text or both');
