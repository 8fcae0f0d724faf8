import * as z from 'zod';

// The channels messages go out on, declared once. A channel's step kind, its template schema, how its fields
// render, where a profile is reached on it, and the feedback events its messages come back as all derive from
// this table; the send path keeps one deliverer per channel (a Record over Channel, so TypeScript names any
// channel left out). Adding a channel: an entry here, a deliverer and an address reader (functions/), docs.

/** How a template field renders: `line` is one line (headers, titles), `html` escapes, `text` as written. */
export type RenderAs = 'line' | 'html' | 'text';

/** Where a profile is reached on a channel (functions/domain/addresses.ts reads it from the profile). */
export type AddressKind = 'email' | 'phone' | 'pushTokens' | 'profile';

/** What the report counts of a message after it left (by feedback event, see `feedback` below). */
export const FEEDBACK_KINDS = ['delivered', 'opened', 'clicked', 'bounced', 'complained', 'viewed', 'dismissed'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

interface ChannelSpec<Shape extends z.ZodRawShape> {
  /** Names the step's task in the ASL (`Email welcome`). */
  label: string;
  /** The step kind's description in the journey language. */
  step: string;
  /** A template's own fields (beyond channel and category), and a check across them. */
  template: Shape;
  check?: { test: (t: z.infer<z.ZodObject<Shape>>) => boolean; message: string };
  /** The fields written in Handlebars, and how each renders. */
  render: { [K in keyof Shape]?: RenderAs };
  address: AddressKind;
  /** Events that report on a message after it left, each the name of a profile event, with what it counts. */
  feedback: Readonly<Record<string, FeedbackKind>>;
  /** Marketing messages carry a signed one-click unsubscribe (RFC 8058 List-Unsubscribe headers). */
  unsubscribeHeaders?: true;
}

const spec = <Shape extends z.ZodRawShape>(s: ChannelSpec<Shape>) => s;

export const CHANNELS = {
  email: spec({
    label: 'Email',
    step: 'Renders an email template and sends it with SES; a permanent failure goes to `onError`.',
    template: { subject: z.string().min(1).max(998), html: z.string().optional(), text: z.string().optional() },
    check: { test: (t) => t.html !== undefined || t.text !== undefined, message: 'an email template needs html, text or both' },
    render: { subject: 'line', html: 'html', text: 'text' },
    address: 'email',
    feedback: { 'email.delivered': 'delivered', 'email.opened': 'opened', 'email.clicked': 'clicked', 'email.bounced': 'bounced', 'email.complained': 'complained' },
    unsubscribeHeaders: true,
  }),
  push: spec({
    label: 'Push',
    step: "Sends a push notification to the profile's devices (End User Messaging Push).",
    template: { title: z.string().min(1).max(200), body: z.string().min(1).max(4000), url: z.string().optional() },
    render: { title: 'line', body: 'text', url: 'line' },
    address: 'pushTokens',
    feedback: {},
  }),
  sms: spec({
    label: 'SMS',
    step: "Sends a text message to the profile's phone (End User Messaging SMS).",
    template: { body: z.string().min(1).max(1600) },
    render: { body: 'text' },
    address: 'phone',
    feedback: {},
  }),
} as const;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as [Channel, ...Channel[]];
export const channelSchema = z.enum(CHANNEL_NAMES, { error: `channel must be one of ${CHANNEL_NAMES.join(', ')}` });

const category = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 characters of a-z, 0-9 and -, such as marketing or transactional')
  .optional()
  .describe('What a message is for: business rules (frequency caps, consent, quiet hours) apply by category. Transactional by default.');

function templateOf<C extends Channel>(channel: C) {
  const s = CHANNELS[channel] as ChannelSpec<(typeof CHANNELS)[C]['template']>;
  const object = z.strictObject({ channel: z.literal(channel), category, ...s.template });
  return s.check ? object.refine((t) => s.check!.test(t as never), s.check.message) : object;
}
type ShapeOf<C extends Channel> = (typeof CHANNELS)[C]['template'] extends infer S extends z.ZodRawShape ? S : never;
/** A template file (templates/<name>.json) of one channel. */
export type TemplateOf<C extends Channel> = { channel: C; category?: string | undefined } & z.output<z.ZodObject<ShapeOf<C>>>;
export type MessageTemplate = { [C in Channel]: TemplateOf<C> }[Channel];

/** Templates of every channel, told apart by `channel`. Checked when a workspace is loaded, not when sending. */
export const messageTemplateSchema = z.discriminatedUnion(
  'channel',
  CHANNEL_NAMES.map((c) => templateOf(c)) as unknown as [z.ZodObject, ...z.ZodObject[]],
  { error: `channel must be one of ${CHANNEL_NAMES.join(', ')}` },
) as unknown as z.ZodType<MessageTemplate>;

/** A template's fields as rendered for its channel (only the Handlebars fields). */
export type RenderedOf<C extends Channel> = { [K in keyof TemplateOf<C> & keyof (typeof CHANNELS)[C]['render']]: TemplateOf<C>[K] };

/** The Handlebars sources of a template, by field, with how each renders. */
export function templateSources(template: MessageTemplate): Array<[field: string, source: string | undefined, as: RenderAs]> {
  const render = CHANNELS[template.channel].render as Record<string, RenderAs>;
  return Object.entries(render).map(([field, as]) => [field, (template as Record<string, unknown>)[field] as string | undefined, as]);
}

/** The channel and report kind of a feedback event (`email.opened` → email, opened), if it is one. */
export function feedbackOf(eventType: string): { channel: Channel; kind: FeedbackKind } | undefined {
  for (const channel of CHANNEL_NAMES) {
    const feedback = CHANNELS[channel].feedback as Readonly<Record<string, FeedbackKind>>;
    if (Object.hasOwn(feedback, eventType)) return { channel, kind: feedback[eventType]! };
  }
  return undefined;
}
