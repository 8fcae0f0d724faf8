import Handlebars from 'handlebars';
import { renderPlan, type Channel } from '../../statemachines/channels';
import type { MessageTemplate, RenderedOf, TemplateOf } from '../../statemachines/schema/template';

// Handlebars, the syntax Adobe Journey Optimizer users know, in an isolated environment: built-in helpers
// only, no partials (so no file system), no prototype access, and a missing variable renders empty. Which
// fields of a template are Handlebars, and how each renders, is the channel's (statemachines/channels.ts).

export type { Channel, MessageTemplate, TemplateOf };
export type EmailTemplate = TemplateOf<'email'>;

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

// A header or a title must be one line, whatever the data holds.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

/** A template's renderer: each Handlebars field of its channel, rendered as the channel says; compiled once. */
export function compileTemplate(template: MessageTemplate): (scope: TemplateScope) => Record<string, string> {
  const fields = Object.entries(renderPlan(template.channel)).flatMap(([field, as]) => {
    const source = (template as Record<string, unknown>)[field];
    if (typeof source !== 'string') return [];
    const render = compile(source, as !== 'html');
    return [[field, as === 'line' ? (scope: TemplateScope) => oneLine(render(scope, RUNTIME)) : (scope: TemplateScope) => render(scope, RUNTIME)] as const];
  });
  return (scope) => Object.fromEntries(fields.map(([field, render]) => [field, render(scope)]));
}

/** An email's renderer, typed as an email. */
export const compileEmailTemplate = (template: EmailTemplate) => compileTemplate(template) as (scope: TemplateScope) => RenderedOf<'email'>;
