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
  email: {
    subject: z.string().min(1).max(998),
    html: z.string().optional(),
    text: z.string().optional(),
    mjml: z.string().optional().describe('The body in MJML (responsive email), compiled to html when the workspace is loaded; instead of html.'),
  },
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
const CHECKS: { [C in Channel]?: Array<{ test: (t: TemplateFileOf<C>) => boolean; message: string; path: string }> } = {
  email: [
    { test: (t) => t.html !== undefined || t.text !== undefined || t.mjml !== undefined, message: 'an email template needs html (or mjml), text or both', path: 'html' },
    { test: (t) => t.html === undefined || t.mjml === undefined, message: 'give the body as html or as mjml, not both', path: 'mjml' },
  ],
};

/** A BCP 47 language tag, such as fr or fr-CA. */
export const localeTag = z
  .string()
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag, such as fr or fr-CA');

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const COMMON = {
  category,
  layout: z.string().regex(NAME, 'must name a layout in templates/layouts/').optional().describe('A layout in templates/layouts/ (<name>.html, .mjml, .txt) that wraps the body where it says {{> content}}.'),
  locale: localeTag.optional().describe("The language of the template's own fields (the default variant); en when left out."),
};

/** The variants of a template by locale: each gives every field the default gives, in its language. */
const localesOf = (channel: Channel) =>
  z
    .record(localeTag, z.strictObject(Object.fromEntries(Object.entries(FIELDS[channel]).map(([k, v]) => [k, (v as z.ZodType).optional()]))))
    .optional()
    .describe("Variants by locale (fr, fr-CA...), chosen from profile.attributes.locale: fr-CA falls back to fr, then to the template's own fields.");

type FieldsOf<C extends Channel> = z.output<z.ZodObject<(typeof FIELDS)[C]>>;
/** A template file of one channel, as written. */
export type TemplateFileOf<C extends Channel> = { channel: C; category?: string | undefined; layout?: string | undefined; locale?: string | undefined; locales?: Record<string, Partial<FieldsOf<C>>> | undefined } & FieldsOf<C>;
export type TemplateFile = { [C in Channel]: TemplateFileOf<C> }[Channel];
/**
 * A template as sent (the workspace loader resolves layouts and fragments and compiles MJML): its Handlebars
 * fields, and its variants by locale, self-contained so sending reads no file.
 */
export type TemplateOf<C extends Channel> = { channel: C; category?: string | undefined; locale?: string | undefined; locales?: Record<string, Partial<Omit<FieldsOf<C>, 'mjml'>>> | undefined } & Omit<FieldsOf<C>, 'mjml'>;
export type MessageTemplate = { [C in Channel]: TemplateOf<C> }[Channel];
/** A template's fields as rendered for its channel (its Handlebars fields). */
export type RenderedOf<C extends Channel> = Pick<TemplateOf<C>, keyof TemplateOf<C> & keyof (typeof CHANNELS)[C]['render']>;

function templateSchemaOf(channel: Channel) {
  let object: z.ZodType = z.strictObject({ channel: z.literal(channel), ...COMMON, ...FIELDS[channel], locales: localesOf(channel) });
  for (const check of (CHECKS[channel] ?? []) as Array<{ test: (t: unknown) => boolean; message: string; path: string }>) object = object.refine(check.test, { message: check.message, path: [check.path] });
  return object;
}

/** Template files of every channel, told apart by `channel`. */
export const messageTemplateSchema = z
  .discriminatedUnion('channel', CHANNEL_NAMES.map(templateSchemaOf) as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: `channel must be one of ${CHANNEL_NAMES.join(', ')}`,
  })
  .meta({ id: 'Template', description: 'A message template (templates/<name>.json): docs/templates.md' }) as unknown as z.ZodType<TemplateFile>;

/** The Handlebars fields of a channel, with the body fields a file may give instead (mjml). */
export const templateFieldsOf = (channel: Channel): string[] => [...Object.keys(renderPlan(channel)), ...(channel === 'email' ? ['mjml'] : [])];

/** The Handlebars sources of a template, by field (the default's, then each locale's as `locales.<tag>.<field>`). */
export function templateSources(template: TemplateFile | MessageTemplate): Record<string, string | undefined> {
  const fields = templateFieldsOf(template.channel);
  const own = fields.map((field) => [field, (template as Record<string, unknown>)[field] as string | undefined] as const);
  const variants = Object.entries(template.locales ?? {}).flatMap(([tag, v]) => fields.map((field) => [`locales.${tag}.${field}`, (v as Record<string, unknown>)[field] as string | undefined] as const));
  return Object.fromEntries([...own, ...variants]);
}
