import * as z from 'zod';
import type { MessageTemplate } from './templates';

// Checked when a workspace is loaded (CDK synth, local runtime, jo validate), not in the send function.
const email = z
  .strictObject({
    channel: z.literal('email'),
    subject: z.string().min(1).max(998),
    html: z.string().optional(),
    text: z.string().optional(),
  })
  .refine((t) => t.html !== undefined || t.text !== undefined, 'an email template needs html, text or both');
const push = z.strictObject({
  channel: z.literal('push'),
  title: z.string().min(1).max(200),
  body: z.string().min(1).max(4000),
  url: z.string().optional(),
});
const sms = z.strictObject({ channel: z.literal('sms'), body: z.string().min(1).max(1600) });

export const messageTemplateSchema: z.ZodType<MessageTemplate> = z.discriminatedUnion('channel', [email, push, sms], {
  error: 'channel must be email, push or sms',
});
