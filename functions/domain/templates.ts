import Handlebars from 'handlebars';

// Handlebars, the syntax Adobe Journey Optimizer users know, in an isolated environment: built-in helpers
// only, no partials (so no file system), no prototype access, and a missing variable renders empty.

/** Template files (templates/<name>.json), one shape per channel; their schema is in template-schema.ts. */
export interface EmailTemplate {
  channel: 'email';
  /** What the message is for (marketing, transactional...): frequency caps apply by category. */
  category?: string | undefined;
  subject: string;
  html?: string | undefined;
  text?: string | undefined;
}
export interface PushTemplate {
  channel: 'push';
  category?: string | undefined;
  title: string;
  body: string;
  /** Opened when the notification is tapped. */
  url?: string | undefined;
}
export interface SmsTemplate {
  channel: 'sms';
  category?: string | undefined;
  body: string;
}
export type MessageTemplate = EmailTemplate | PushTemplate | SmsTemplate;
export type Channel = MessageTemplate['channel'];

export interface RenderedEmail {
  subject: string;
  html?: string;
  text?: string;
}
export interface RenderedPush {
  title: string;
  body: string;
  url?: string;
}
export interface RenderedSms {
  body: string;
}

export interface TemplateScope {
  profile: { id: string; attributes: Record<string, unknown> };
  event: unknown;
  journey: { id: string; step: string };
  /** A campaign's context data, given when it was triggered ({{context.*}}). */
  context?: Record<string, unknown>;
  /** The latest decide step's offers ({{#each offers}}: id, content, code), and each decide step's. */
  offers?: unknown[];
  decisions?: Record<string, { offers: unknown[] }>;
}

const hbs = Handlebars.create();
const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;
const KNOWN_HELPERS = { if: true, unless: true, each: true, with: true, lookup: true } as const;

function compile(source: string, noEscape: boolean): Handlebars.TemplateDelegate {
  return hbs.compile(source, { strict: false, noEscape, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, preventIndent: true });
}

/** Throws with the Handlebars message when a template does not parse. */
export function checkTemplateSyntax(source: string): void {
  hbs.precompile(source, { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true });
}

export type EmailRenderer = (scope: TemplateScope) => RenderedEmail;

export function compileEmailTemplate(template: EmailTemplate): EmailRenderer {
  const subject = compile(template.subject, true);
  const html = template.html === undefined ? undefined : compile(template.html, false);
  const text = template.text === undefined ? undefined : compile(template.text, true);
  return (scope) => ({
    // A header must be one line, whatever the data holds.
    subject: subject(scope, RUNTIME).replace(/[\r\n]+/g, ' ').trim(),
    ...(html ? { html: html(scope, RUNTIME) } : {}),
    ...(text ? { text: text(scope, RUNTIME) } : {}),
  });
}

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

export function compilePushTemplate(template: PushTemplate): (scope: TemplateScope) => RenderedPush {
  const title = compile(template.title, true);
  const body = compile(template.body, true);
  const url = template.url === undefined ? undefined : compile(template.url, true);
  return (scope) => ({ title: oneLine(title(scope, RUNTIME)), body: body(scope, RUNTIME), ...(url ? { url: url(scope, RUNTIME).trim() } : {}) });
}

export function compileSmsTemplate(template: SmsTemplate): (scope: TemplateScope) => RenderedSms {
  const body = compile(template.body, true);
  return (scope) => ({ body: body(scope, RUNTIME) });
}

/** The Handlebars sources of a template, by field, for checking their syntax. */
export function templateSources(template: MessageTemplate): Record<string, string | undefined> {
  switch (template.channel) {
    case 'email':
      return { subject: template.subject, html: template.html, text: template.text };
    case 'push':
      return { title: template.title, body: template.body, url: template.url };
    case 'sms':
      return { body: template.body };
  }
}
