import Handlebars from 'handlebars';

// Handlebars, the syntax Adobe Journey Optimizer users know, in an isolated environment: built-in helpers
// only, no partials (so no file system), no prototype access, and a missing variable renders empty.

/** An email template file (templates/<name>.json); its schema is in template-schema.ts. */
export interface EmailTemplate {
  channel: 'email';
  subject: string;
  html?: string | undefined;
  text?: string | undefined;
}

export interface RenderedEmail {
  subject: string;
  html?: string;
  text?: string;
}

export interface TemplateScope {
  profile: { id: string; attributes: Record<string, unknown> };
  event: unknown;
  journey: { id: string; step: string };
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
