import * as z from 'zod';
import { CHANNEL_NAMES, renderPlan, type CHANNELS, type Channel } from '../channels';
import { parseDuration } from './duration';

// Template files (templates/<name>.json): one shape per channel, a Record over the channels of channels.ts.
// Checked when a workspace is loaded (CDK synth, local runtime, jo validate), never in the send function.

export const channelSchema = z.enum(CHANNEL_NAMES, { error: `channel must be one of ${CHANNEL_NAMES.join(', ')}` });

const category = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 characters of a-z, 0-9 and -, such as marketing or transactional')
  .optional()
  .describe('What a message is for: business rules (frequency caps, consent, quiet hours) apply by category. Transactional by default.');

const FIELDS = {
  email: { subject: z.string().min(1).max(998), html: z.string().optional(), text: z.string().optional() },
  push: { title: z.string().min(1).max(200), body: z.string().min(1).max(4000), url: z.string().optional() },
  sms: { body: z.string().min(1).max(1600) },
  inApp: {
    title: z.string().min(1).max(200),
    body: z.string().min(1).max(4000),
    url: z.string().optional(),
    imageUrl: z.string().optional(),
    expiresAfter: z
      .string()
      .refine((d) => parseDuration(d).ok, 'must be an ISO 8601 duration, such as P7D')
      .optional()
      .describe('How long the message stays in the inbox (default P30D).'),
  },
} satisfies Record<Channel, z.ZodRawShape>;

/** Checks across a template's fields. */
const CHECKS: { [C in Channel]?: { test: (t: TemplateOf<C>) => boolean; message: string } } = {
  email: { test: (t) => t.html !== undefined || t.text !== undefined, message: 'an email template needs html, text or both' },
};

/** A template of one channel. */
export type TemplateOf<C extends Channel> = { channel: C; category?: string | undefined } & z.output<z.ZodObject<(typeof FIELDS)[C]>>;
export type MessageTemplate = { [C in Channel]: TemplateOf<C> }[Channel];
/** A template's fields as rendered for its channel (its Handlebars fields). */
export type RenderedOf<C extends Channel> = Pick<TemplateOf<C>, keyof TemplateOf<C> & keyof (typeof CHANNELS)[C]['render']>;

function templateSchemaOf(channel: Channel) {
  const object = z.strictObject({ channel: z.literal(channel), category, ...FIELDS[channel] });
  const check = CHECKS[channel] as { test: (t: unknown) => boolean; message: string } | undefined;
  return check ? object.refine(check.test, check.message) : object;
}

/** Templates of every channel, told apart by `channel`. */
export const messageTemplateSchema = z.discriminatedUnion('channel', CHANNEL_NAMES.map(templateSchemaOf) as unknown as [z.ZodObject, ...z.ZodObject[]], {
  error: `channel must be one of ${CHANNEL_NAMES.join(', ')}`,
}) as unknown as z.ZodType<MessageTemplate>;

/** The Handlebars sources of a template, by field, for checking their syntax. */
export function templateSources(template: MessageTemplate): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(renderPlan(template.channel)).map((field) => [field, (template as Record<string, unknown>)[field] as string | undefined]));
}
