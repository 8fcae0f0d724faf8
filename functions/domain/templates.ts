import Handlebars from 'handlebars';
import { renderPlan, type Channel } from '../../statemachines/channels';
import type { MessageTemplate, RenderedOf, TemplateOf } from '../../statemachines/schema/template';
import { knownTimeZone } from './local-time';

// Handlebars, the syntax Adobe Journey Optimizer users know, in an isolated environment: the built-in helpers
// and the locale helpers below only, no partials at send time (fragments and layouts are inlined when the
// workspace is loaded, so no file system), no prototype access, and a missing variable renders empty. Which
// fields of a template are Handlebars, and how each renders, is the channel's (statemachines/channels.ts).

export type { Channel, MessageTemplate, TemplateOf };
export type EmailTemplate = TemplateOf<'email'>;

export interface TemplateScope {
  profile: { id: string; attributes: Record<string, unknown>; scores?: Record<string, number> };
  event: unknown;
  journey: { id: string; step: string };
  /** A campaign's context data, given when it was triggered ({{context.*}}). */
  context?: Record<string, unknown>;
  /** The latest decide step's offers ({{#each offers}}: id, content, code), and each decide step's. */
  offers?: unknown[];
  decisions?: Record<string, { offers: unknown[] }>;
  /** One-click unsubscribe from the message's list, and the profile's preference page (signed links). */
  unsubscribeUrl?: string;
  preferencesUrl?: string;
}

/** What a template rendered to: its fields, and the locale of the variant used (`default` for its own fields). */
export interface RenderedMessage {
  fields: Record<string, string>;
  locale: string;
}

/** The variables a template sees at its top level (statemachines' checks and the docs name the same). */
export const SCOPE_ROOTS = ['profile', 'event', 'journey', 'context', 'offers', 'decisions', 'unsubscribeUrl', 'preferencesUrl'] as const;

const hbs = Handlebars.create();
const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

interface HelperOptions {
  hash: Record<string, unknown>;
  data?: { locale?: string; timeZone?: string };
}
const localeOf = (options: HelperOptions) => options.data?.locale ?? 'en';
const isOptions = (v: unknown): v is HelperOptions => typeof v === 'object' && v !== null && 'hash' in v;
/** Intl throws on a bad currency or option: a template renders empty there rather than failing the send. */
const safely = (make: () => string) => {
  try {
    return make();
  } catch {
    return '';
  }
};
const DATE_STYLES = new Set(['full', 'long', 'medium', 'short']);

// Locale-aware helpers: the profile's locale (or the variant's) and time zone come in the data frame.
const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  /** {{formatDate value [style="long"] [time=true]}}: a date in the profile's time zone. */
  formatDate(value, options) {
    const o = options as HelperOptions;
    if (isOptions(value) || value === undefined || value === null || value === '') return '';
    const date = new Date(value as string | number);
    if (Number.isNaN(date.getTime())) return '';
    const style = DATE_STYLES.has(String(o.hash.style)) ? (String(o.hash.style) as 'long') : 'long';
    return safely(() => new Intl.DateTimeFormat(localeOf(o), { dateStyle: style, ...(o.hash.time === true ? { timeStyle: 'short' } : {}), timeZone: o.data?.timeZone ?? 'UTC' }).format(date));
  },
  /** {{formatNumber value [decimals=2]}} */
  formatNumber(value, options) {
    const o = options as HelperOptions;
    const n = Number(value);
    if (isOptions(value) || value === null || value === '' || !Number.isFinite(n)) return '';
    const decimals = Number.isInteger(o.hash.decimals) ? Math.min(Math.max(o.hash.decimals as number, 0), 20) : undefined;
    return safely(() => new Intl.NumberFormat(localeOf(o), decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(n));
  },
  /** {{formatCurrency value "EUR"}} */
  formatCurrency(value, currency, options) {
    const o = (options ?? currency) as HelperOptions;
    const n = Number(value);
    if (isOptions(value) || isOptions(currency) || value === null || value === '' || !Number.isFinite(n)) return '';
    return safely(() => new Intl.NumberFormat(localeOf(o), { style: 'currency', currency: String(currency) }).format(n));
  },
  /** {{default value "fallback"}}: the value, or the fallback when it is missing or empty. */
  default(value, fallback) {
    const missing = (v: unknown) => v === undefined || v === null || v === '' || isOptions(v);
    return missing(value) ? (missing(fallback) ? '' : fallback) : value;
  },
};
for (const [name, helper] of Object.entries(HELPERS)) hbs.registerHelper(name, helper);
const KNOWN_HELPERS = { if: true, unless: true, each: true, with: true, lookup: true, ...Object.fromEntries(Object.keys(HELPERS).map((h) => [h, true])) };
export const HELPER_NAMES: readonly string[] = Object.keys(KNOWN_HELPERS);

function compile(source: string, noEscape: boolean): Handlebars.TemplateDelegate {
  return hbs.compile(source, { strict: false, noEscape, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, preventIndent: true });
}

/** Throws with the Handlebars message when a template does not parse. */
export function checkTemplateSyntax(source: string): void {
  hbs.precompile(source, { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true });
}

// A header or a title must be one line, whatever the data holds.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

/** A BCP 47 tag in its canonical form (`fr_ca` → `fr-CA`), or undefined for anything that is not one. */
export const canonicalLocale = (tag: unknown): string | undefined => {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 64) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
};

/**
 * The variant a profile's locale picks: the locale, then the locale with its last subtag cut, and so on
 * (fr-CA, then fr); undefined for the template's own fields (no variant matches, or the default is it).
 */
export function chooseLocale(template: Pick<MessageTemplate, 'locale' | 'locales'>, wanted: unknown): string | undefined {
  const variants = new Map(Object.keys(template.locales ?? {}).map((tag) => [tag.toLowerCase(), tag]));
  const own = (canonicalLocale(template.locale) ?? 'en').toLowerCase();
  let tag = canonicalLocale(wanted)?.toLowerCase();
  while (tag) {
    if (tag === own) return undefined;
    const found = variants.get(tag);
    if (found) return found;
    tag = tag.includes('-') ? tag.slice(0, tag.lastIndexOf('-')) : undefined;
  }
  return undefined;
}

type FieldRender = (scope: TemplateScope, data: { locale: string; timeZone: string }) => string;

function compileFields(channel: Channel, fields: Record<string, unknown>): Array<readonly [string, FieldRender]> {
  return Object.entries(renderPlan(channel)).flatMap(([field, as]) => {
    const source = fields[field];
    if (typeof source !== 'string') return [];
    const render = compile(source, as !== 'html');
    const run: FieldRender = (scope, data) => render(scope, { ...RUNTIME, data });
    return [[field, as === 'line' ? (scope, data) => oneLine(run(scope, data)) : run] as const];
  });
}

/**
 * A template's renderer: the variant of the profile's locale (attributes.locale), each Handlebars field of its
 * channel rendered as the channel says; each variant compiled once, when first used.
 */
export function compileTemplate(template: MessageTemplate): (scope: TemplateScope) => RenderedMessage {
  const compiled = new Map<string, Array<readonly [string, FieldRender]>>();
  const fieldsOf = (variant: string | undefined) => {
    const key = variant ?? '';
    let fields = compiled.get(key);
    if (!fields) {
      const own = template as unknown as Record<string, unknown>;
      const source = variant === undefined ? own : { ...own, ...(template.locales?.[variant] as Record<string, unknown>) };
      compiled.set(key, (fields = compileFields(template.channel, source)));
    }
    return fields;
  };
  return (scope) => {
    const wanted = scope.profile.attributes.locale;
    const variant = chooseLocale(template, wanted);
    const data = { locale: canonicalLocale(wanted) ?? variant ?? canonicalLocale(template.locale) ?? 'en', timeZone: knownTimeZone(scope.profile.attributes.timeZone) };
    const fields = Object.fromEntries(fieldsOf(variant).map(([field, render]) => [field, render(scope, data)]));
    return { fields, locale: variant ?? template.locale ?? 'default' };
  };
}

const renderers = new WeakMap<MessageTemplate, (scope: TemplateScope) => RenderedMessage>();

/** A template's renderer, compiled once per template (sends and previews alike). */
export function rendererOf(template: MessageTemplate): (scope: TemplateScope) => RenderedMessage {
  let render = renderers.get(template);
  if (!render) renderers.set(template, (render = compileTemplate(template)));
  return render;
}

/** An email's renderer, typed as an email (its fields). */
export const compileEmailTemplate = (template: EmailTemplate) => {
  const render = compileTemplate(template);
  return (scope: TemplateScope) => render(scope).fields as RenderedOf<'email'>;
};
