// The channels messages go out on, declared once. A channel's step kind, how its template fields render,
// where a profile is reached on it, and the feedback events its messages come back as all derive from this
// table; its template schema (schema/template.ts) and the send path's deliverers and address readers
// (functions/) are Records over Channel, so TypeScript names any place a new channel is missing. No zod here:
// the send function and the counting points import this without bundling the schemas.

/** How a template field renders: `line` is one line (headers, titles), `html` escapes, `text` as written. */
export type RenderAs = 'line' | 'html' | 'text';

/** Where a profile is reached on a channel (functions/domain/addresses.ts reads it from the profile). */
export type AddressKind = 'email' | 'phone' | 'pushTokens' | 'profile';

/** What the report counts of a message after it left (by feedback event, see `feedback` below). */
export const FEEDBACK_KINDS = ['delivered', 'opened', 'clicked', 'bounced', 'complained', 'viewed', 'dismissed'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

interface ChannelSpec {
  /** Names the step's task in the ASL (`Email welcome`). */
  label: string;
  /** The step kind's description in the journey language. */
  step: string;
  /** The template fields written in Handlebars, and how each renders. */
  render: Readonly<Record<string, RenderAs>>;
  address: AddressKind;
  /** Events that report on a message after it left, each the name of a profile event, with what it counts. */
  feedback: Readonly<Record<string, FeedbackKind>>;
  /** Marketing messages carry a signed one-click unsubscribe (RFC 8058 List-Unsubscribe headers). */
  unsubscribeHeaders?: true;
}

export const CHANNELS = {
  email: {
    label: 'Email',
    step: 'Renders an email template and sends it with SES; a permanent failure goes to `onError`.',
    render: { subject: 'line', html: 'html', text: 'text' },
    address: 'email',
    feedback: { 'email.delivered': 'delivered', 'email.opened': 'opened', 'email.clicked': 'clicked', 'email.bounced': 'bounced', 'email.complained': 'complained' },
    unsubscribeHeaders: true,
  },
  push: {
    label: 'Push',
    step: "Sends a push notification to the profile's devices (End User Messaging Push).",
    render: { title: 'line', body: 'text', url: 'line' },
    address: 'pushTokens',
    // Apps report an opened notification as `push.opened`, echoing the message's data (journey, step, groups, learn).
    feedback: { 'push.opened': 'opened' },
  },
  sms: {
    label: 'SMS',
    step: "Sends a text message to the profile's phone (End User Messaging SMS).",
    render: { body: 'text' },
    address: 'phone',
    feedback: {},
  },
  inApp: {
    label: 'In-app',
    step: "Puts a message in the profile's in-app inbox (GET /profiles/{id}/inbox) until it expires or the app reports it dismissed.",
    render: { title: 'line', body: 'text', url: 'line', imageUrl: 'line' },
    address: 'profile',
    feedback: { 'inbox.viewed': 'viewed', 'inbox.clicked': 'clicked', 'inbox.dismissed': 'dismissed' },
  },
} as const satisfies Record<string, ChannelSpec>;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as [Channel, ...Channel[]];

/** How each Handlebars field of a channel's templates renders. */
export const renderPlan = (channel: Channel): Readonly<Record<string, RenderAs>> => CHANNELS[channel].render;

/** The channel and report kind of a feedback event (`email.opened` → email, opened), if it is one. */
export function feedbackOf(eventType: string): { channel: Channel; kind: FeedbackKind } | undefined {
  for (const channel of CHANNEL_NAMES) {
    const feedback: Readonly<Record<string, FeedbackKind>> = CHANNELS[channel].feedback;
    if (Object.hasOwn(feedback, eventType)) return { channel, kind: feedback[eventType]! };
  }
  return undefined;
}
