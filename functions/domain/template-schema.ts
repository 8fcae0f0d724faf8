import * as z from 'zod';
import type { MessageTemplate } from './templates';

// Checked when a workspace is loaded (CDK synth, local runtime, jo validate), not in the send function.
/** What a message is for: business rules (frequency caps) apply by category. Transactional by default. */
const category = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 characters of a-z, 0-9 and -, such as marketing or transactional')
  .optional();
const email = z
  .strictObject({
    channel: z.literal('email'),
    category,
    subject: z.string().min(1).max(998),
    html: z.string().optional(),
    text: z.string().optional(),
  })
  .refine((t) => t.html !== undefined || t.text !== undefined, 'an email template needs html, text or both');
const push = z.strictObject({
  channel: z.literal('push'),
  category,
  title: z.string().min(1).max(200),
  body: z.string().min(1).max(4000),
  url: z.string().optional(),
});
const sms = z.strictObject({ channel: z.literal('sms'), category, body: z.string().min(1).max(1600) });

export const messageTemplateSchema: z.ZodType<MessageTemplate> = z.discriminatedUnion('channel', [email, push, sms], {
  error: 'channel must be email, push or sms',
});
