import type { EmailTemplateResponse, PushNotificationTemplateResponse, SMSTemplateResponse } from '@aws-sdk/client-pinpoint';
import { attributeName, type MigrationLog } from './report';
import { DEMOGRAPHIC, LOCATION } from './predicates';

// Pinpoint message templates as templates of this product. Pinpoint's message variables name endpoint data
// ({{User.UserAttributes.FirstName}}, {{Attributes.Plan}}, {{Demographic.Platform}}...); here they are
// profile attributes (endpoints.ts writes them there), and a default substitution becomes {{default ... "x"}}.

type Written = Record<string, unknown>;

/** The profile path of a Pinpoint variable, or undefined when it has none. */
export function variablePath(variable: string): string | undefined {
  const [head, second, ...rest] = variable.split('.');
  if (head === 'User' && second === 'UserAttributes' && rest.length > 0) return `profile.attributes.${attributeName(rest.join('.'))}`;
  if (head === 'User' && second === 'UserId') return 'profile.id';
  if ((head === 'Attributes' || head === 'Metrics') && second) return `profile.attributes.${attributeName([second, ...rest].join('.'))}`;
  if (head === 'Demographic' && second && Object.hasOwn(DEMOGRAPHIC, second)) return `profile.attributes.${DEMOGRAPHIC[second as keyof typeof DEMOGRAPHIC]}`;
  if (head === 'Location' && second && Object.hasOwn(LOCATION, second)) return `profile.attributes.${LOCATION[second as keyof typeof LOCATION]}`;
  if ((head === 'Id' || head === 'EndpointId') && second === undefined) return 'profile.id';
  return undefined;
}

/** What a carried variable means here that it did not in Pinpoint (said once per template and variable). */
function changedMeaning(variable: string, path: string): string | undefined {
  if (variable === 'Id' || variable === 'EndpointId') return `{{${variable}}} (the endpoint's id) becomes {{${path}}}: this product sends to a person, not an endpoint, and keeps no endpoint ids`;
  if (!/^(User\.UserAttributes|Attributes|Metrics)\./.test(variable)) return undefined;
  const name = variable.split('.').slice(variable.startsWith('User.') ? 2 : 1).join('.');
  if (/^profile\.attributes\./.test(path) && path.slice('profile.attributes.'.length) !== name) return `{{${variable}}} reads the attribute ${path.slice('profile.attributes.'.length)}: attribute names here are letters, digits and _`;
  return undefined;
}

const MUSTACHE = /\{\{(\{?)([^{}]*?)(\}?)\}\}/g;
const PINPOINT_PATH = /(^|[\s(])((?:User|Attributes|Metrics|Demographic|Location)(?:\.[A-Za-z0-9_-]+)+|Id|EndpointId)(?=$|[\s)])/g;
/** Handlebars' own words, kept as they are: `{{else}}`, `{{this}}`, `{{@index}}`, `{{../x}}`. */
const HANDLEBARS_WORD = /^(else|this)(\.|$)|^[@.]/;

/**
 * Rewrites the message variables of a Handlebars source, keeping Handlebars itself (blocks, `else`, `this`,
 * data variables). A plain `{{Var}}` with a default substitution becomes `{{default path "value"}}`; a variable
 * with no profile equivalent renders empty, and is reported.
 */
export function rewriteVariables(source: string, defaults: Record<string, string>, where: string, log: MigrationLog): string {
  const told = new Set<string>();
  const tell = (variable: string, path: string) => {
    const what = changedMeaning(variable, path);
    if (what && !told.has(what)) {
      told.add(what);
      log.change(where, what);
    }
  };
  return source.replace(MUSTACHE, (whole, open: string, inner: string, close: string) => {
    const trimmed = inner.trim();
    if (/^[!]/.test(trimmed) || HANDLEBARS_WORD.test(trimmed)) return whole;
    const plain = /^[A-Za-z][A-Za-z0-9_.-]*$/.test(trimmed);
    // This product's own variables (a template may already link unsubscribeUrl).
    if (plain && /^(unsubscribeUrl|preferencesUrl|profile|event|journey|context)(\.|$)/.test(trimmed)) return whole;
    if (plain) {
      const path = variablePath(trimmed);
      if (!path) {
        log.attend(where, `the variable {{${trimmed}}} has no equivalent here: it renders empty`);
        return '';
      }
      tell(trimmed, path);
      const fallback = defaults[trimmed];
      return fallback !== undefined ? `{{${open}default ${path} ${JSON.stringify(fallback)}${close}}}` : `{{${open}${path}${close}}}`;
    }
    return `{{${open}${inner.replace(PINPOINT_PATH, (m, before: string, variable: string) => {
      const path = variablePath(variable);
      if (path) tell(variable, path);
      return `${before}${path ?? variable}`;
    })}${close}}}`;
  });
}

function defaultsOf(json: string | undefined, where: string, log: MigrationLog): Record<string, string> {
  if (!json) return {};
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    log.attend(where, 'DefaultSubstitutions is not JSON: no defaults carried');
    return {};
  }
}

const UNSUBSCRIBE = /\{\{\{?\s*unsubscribeUrl/;
const HTML_FOOTER = '<p style="font-size:12px;color:#666"><a href="{{unsubscribeUrl}}">Unsubscribe</a> · <a href="{{preferencesUrl}}">Preferences</a></p>';
const TEXT_FOOTER = '\n\n--\nUnsubscribe: {{unsubscribeUrl}}\nPreferences: {{preferencesUrl}}\n';

/**
 * An email template. Pinpoint sends journey and campaign email as marketing, so it is imported in the
 * `marketing` list; the bulk-sender rules (and this product) want a visible unsubscribe link there: when the
 * template has none, the importer adds a footer with one (and the preference link).
 */
export function emailTemplate(t: Partial<EmailTemplateResponse>, where: string, log: MigrationLog): Written {
  const defaults = defaultsOf(t.DefaultSubstitutions, where, log);
  const rewrite = (s: string | undefined) => (s === undefined ? undefined : rewriteVariables(s, defaults, where, log));
  let html = rewrite(t.HtmlPart);
  let text = rewrite(t.TextPart);
  if (html !== undefined && !UNSUBSCRIBE.test(html)) {
    // Before </body> when the HTML is a whole document, else at the end.
    html = /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${HTML_FOOTER}</body>`) : `${html}${HTML_FOOTER}`;
    log.count('email bodies given an unsubscribe footer');
    log.change(where, 'the HTML part had no unsubscribe link: a footer with one (and the preferences link) is added, as marketing email needs');
  }
  if (text !== undefined && !UNSUBSCRIBE.test(text)) {
    text = `${text}${TEXT_FOOTER}`;
    log.count('email bodies given an unsubscribe footer');
    log.change(where, 'the text part had no unsubscribe link: a footer with one is added');
  }
  if (t.Headers?.length) log.attend(where, `${t.Headers.length} custom header(s) not carried (the product sets List-Unsubscribe itself)`);
  if (t.RecommenderId) log.attend(where, 'the recommender model (RecommenderId) is not carried: use offers and a decide step');
  return {
    channel: 'email',
    category: 'marketing',
    subject: rewrite(t.Subject) || t.TemplateName || 'Message',
    ...(html !== undefined ? { html } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(html === undefined && text === undefined ? { text: '' } : {}),
  };
}

export function smsTemplate(t: Partial<SMSTemplateResponse>, where: string, log: MigrationLog): Written {
  const body = rewriteVariables(t.Body ?? '', defaultsOf(t.DefaultSubstitutions, where, log), where, log);
  if (!body) log.attend(where, 'an SMS template with no body: given a placeholder');
  return { channel: 'sms', category: 'marketing', body: body || '(empty)' };
}

/** The default push message, else Android's (GCM), else Apple's; per-platform differences are reported. */
export function pushTemplate(t: Partial<PushNotificationTemplateResponse>, where: string, log: MigrationLog): Written {
  const defaults = defaultsOf(t.DefaultSubstitutions, where, log);
  const source = t.Default ?? t.GCM ?? t.APNS ?? t.ADM ?? t.Baidu ?? {};
  const platforms = ['APNS', 'GCM', 'ADM', 'Baidu'].filter((p) => (t as Record<string, unknown>)[p] !== undefined);
  if (t.Default && platforms.length > 0) log.attend(where, `platform-specific messages (${platforms.join(', ')}) not carried: the default message goes to every device`);
  const rewrite = (s: string | undefined) => rewriteVariables(s ?? '', defaults, where, log);
  const url = source.Action === 'URL' || source.Action === 'DEEP_LINK' ? rewrite(source.Url) : '';
  const sounds = [...new Set([t.Default, t.APNS, t.GCM, t.ADM, t.Baidu].map((m) => m?.Sound).filter((x): x is string => typeof x === 'string' && x !== ''))];
  if (sounds.length) log.attend(where, `the notification sound (${sounds.join(', ')}) is not carried: devices play their default`);
  if (['ImageUrl', 'ImageIconUrl', 'SmallImageIconUrl'].some((k) => (source as Record<string, unknown>)[k])) log.attend(where, 'notification images are not carried');
  return { channel: 'push', category: 'marketing', title: rewrite(source.Title) || t.TemplateName || 'Message', body: rewrite(source.Body) || ' ', ...(url ? { url } : {}) };
}

