import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { checkTemplateSyntax, HELPER_NAMES, SCOPE_ROOTS } from '../functions/domain/templates';
import { renderPlan } from '../statemachines/channels';
import { templateFieldsOf, type MessageTemplate, type TemplateFile } from '../statemachines/schema/template';
import { didYouMean } from '../statemachines/suggest';
import { compileMjml } from './mjml';
import type { AttributeCheck } from './attributes';

// What a template file becomes before anything sends it: fragments (templates/fragments/) and its layout
// (templates/layouts/) inlined, MJML compiled to HTML, every variant checked (syntax, variables, the
// unsubscribe link of marketing email). The result is self-contained: the send function reads no file.

export interface TemplateIssue {
  path: string;
  code: string;
  message: string;
}

/** Where the body goes in a layout; no fragment may take the name. */
const SLOT = 'content';
/** The fragment files a field may use, by what the field is: the first extension found wins. */
const FRAGMENT_KINDS = { html: ['.html', '.hbs'], mjml: ['.mjml', '.html', '.hbs'], text: ['.txt', '.hbs'] } as const;
type Kind = keyof typeof FRAGMENT_KINDS;
const PARTIAL = /\{\{~?>\s*([^\s}~]+)\s*~?\}\}/g;

interface Parts {
  /** name → extension → source */
  fragments: Map<string, Map<string, string>>;
  layouts: Map<string, Map<string, string>>;
}

function readParts(dir: string): Map<string, Map<string, string>> {
  const parts = new Map<string, Map<string, string>>();
  if (!existsSync(dir)) return parts;
  for (const file of readdirSync(dir).sort()) {
    const ext = extname(file);
    if (!['.html', '.mjml', '.txt', '.hbs'].includes(ext)) continue;
    const name = basename(file, ext);
    parts.set(name, (parts.get(name) ?? new Map()).set(ext, readFileSync(join(dir, file), 'utf8')));
  }
  return parts;
}

export const readTemplateParts = (root: string): Parts => ({ fragments: readParts(join(root, 'templates', 'fragments')), layouts: readParts(join(root, 'templates', 'layouts')) });

type Node = { type: string; [k: string]: unknown };

/** Every node of a Handlebars program, with how many blocks that change the context (each, with) hold it. */
function walk(node: unknown, visit: (n: Node, depth: number) => void, depth = 0): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit, depth));
  if (!node || typeof node !== 'object' || !('type' in node)) return;
  const n = node as Node;
  visit(n, depth);
  const scoped = n.type === 'BlockStatement' && ['each', 'with'].includes(String((n.path as { original?: unknown })?.original));
  for (const [key, child] of Object.entries(n)) {
    if (key === 'loc') continue;
    walk(child, visit, scoped && key === 'program' ? depth + 1 : depth);
  }
}

/** Inlines the fragments a source names, recursively; cycles and unknown names are issues. */
function inline(source: string, kind: Kind, parts: Parts, fail: (code: string, message: string) => void, chain: readonly string[] = [], slot = false): string {
  let ast: unknown;
  try {
    ast = Handlebars.parse(source);
  } catch {
    return source; // the syntax check reports it, once, on the assembled field
  }
  let simple = true;
  walk(ast, (n) => {
    if (n.type === 'PartialBlockStatement' || n.type === 'DecoratorBlock' || n.type === 'Decorator') {
      fail('template-fragment', 'block partials and decorators are not supported: write {{> name}}');
      simple = false;
    } else if (n.type === 'PartialStatement') {
      const name = n.name as { type: string };
      if (name.type !== 'PathExpression' || (n.params as unknown[]).length > 0 || n.hash) {
        fail('template-fragment', 'a fragment takes no arguments and no dynamic name: write {{> name}}; it sees the variables of the template');
        simple = false;
      }
    }
  });
  if (!simple) return source;
  return source.replace(PARTIAL, (whole, name: string) => {
    if (name === SLOT) {
      if (!slot) fail('template-fragment', `{{> ${SLOT}}} marks where a layout puts the body; it belongs in templates/layouts/ only`);
      return whole;
    }
    if (chain.includes(name)) {
      fail('fragment-cycle', `fragments include each other in a cycle: ${[...chain, name].join(' → ')}`);
      return '';
    }
    const files = parts.fragments.get(name);
    const ext = FRAGMENT_KINDS[kind].find((e) => files?.has(e));
    if (!files || !ext) {
      const known = [...parts.fragments.keys()];
      fail('unknown-fragment', `no fragment "${name}" in templates/fragments/ (${FRAGMENT_KINDS[kind].join(', ')})${didYouMean(name, known)}${known.length ? `; fragments are: ${known.join(', ')}` : ''}`);
      return '';
    }
    return inline(files.get(ext)!, kind, parts, fail, [...chain, name], slot);
  });
}

const isHtml = (channel: string, field: string) => renderPlan(channel as 'email')[field] === 'html';
const kindOf = (channel: string, field: string): Kind => (field === 'mjml' ? 'mjml' : isHtml(channel, field) ? 'html' : 'text');
const LAYOUT_EXT: Record<Kind, string> = { html: '.html', mjml: '.mjml', text: '.txt' };

/** One field's source with its fragments and layout inlined. */
function assemble(file: TemplateFile, field: string, source: string, parts: Parts, fail: (code: string, message: string) => void): string {
  const kind = kindOf(file.channel, field);
  const body = inline(source, kind, parts, fail);
  if (!file.layout || !['html', 'mjml', 'text'].includes(field)) return body;
  const layout = parts.layouts.get(file.layout);
  if (!layout) {
    fail('unknown-layout', `no layout "${file.layout}" in templates/layouts/${didYouMean(file.layout, [...parts.layouts.keys()])}`);
    return body;
  }
  const wrapper = layout.get(LAYOUT_EXT[kind]);
  if (wrapper === undefined) {
    // A text layout is optional: the text body then goes as written.
    if (kind !== 'text') fail('unknown-layout', `layout "${file.layout}" has no ${LAYOUT_EXT[kind]} file for the ${field} body`);
    return body;
  }
  const slots = wrapper.match(PARTIAL)?.filter((p) => p.replace(PARTIAL, '$1') === SLOT).length ?? 0;
  if (slots !== 1) {
    fail('template-layout', `layouts/${file.layout}${LAYOUT_EXT[kind]} must say {{> ${SLOT}}} once, where the body goes (it says it ${slots} times)`);
    return body;
  }
  const assembled = inline(wrapper, kind, parts, fail, [], true);
  return assembled.replace(/\{\{~?>\s*content\s*~?\}\}/, () => body);
}

const UNSUBSCRIBE_HREF = /href\s*=\s*["']?\s*\{\{\{?\s*unsubscribeUrl\s*\}?\}\}/;
const UNSUBSCRIBE_TEXT = /\{\{\{?\s*unsubscribeUrl\s*\}?\}\}/;

/** The variables of a source the scope has no root for, and unknown profile attributes. */
function checkVariables(source: string, attributes: AttributeCheck | undefined, fail: (code: string, message: string) => void): void {
  let ast: unknown;
  try {
    ast = Handlebars.parse(source);
  } catch {
    return;
  }
  const seen = new Set<string>();
  walk(ast, (n, depth) => {
    if (n.type !== 'PathExpression' || depth > 0 || n.data || (n.depth as number) > 0) return;
    const parts = n.parts as string[];
    const original = String(n.original);
    if (parts.length === 0 || HELPER_NAMES.includes(original) || original === 'this' || seen.has(original)) return;
    seen.add(original);
    const [root, second, third] = parts;
    if (!(SCOPE_ROOTS as readonly string[]).includes(root!)) {
      fail('unknown-variable', `{{${original}}}: templates see ${SCOPE_ROOTS.join(', ')}${didYouMean(root!, SCOPE_ROOTS)}`);
    } else if (root === 'profile' && second !== undefined && !['id', 'attributes'].includes(second)) {
      fail('unknown-variable', `{{${original}}}: a profile has id and attributes${didYouMean(second, ['id', 'attributes'])}`);
    } else if (root === 'profile' && second === 'attributes' && third !== undefined && attributes) {
      const problem = attributes.unknown(third);
      if (problem) fail('unknown-attribute', `{{${original}}}: ${problem}`);
    }
  });
}

/**
 * A template file as it will be sent, or undefined with its issues: fragments and layout inlined, MJML
 * compiled, each field of each variant checked.
 */
export function resolveTemplate(file: TemplateFile, parts: Parts, attributes: AttributeCheck | undefined, issues: TemplateIssue[]): MessageTemplate | undefined {
  const before = issues.length;
  const variants: Array<[prefix: string, fields: Record<string, unknown>]> = [['', file as Record<string, unknown>], ...Object.entries(file.locales ?? {}).map(([tag, v]): [string, Record<string, unknown>] => [`locales.${tag}.`, v])];
  const fields = templateFieldsOf(file.channel);
  const given = (v: Record<string, unknown>) => fields.filter((f) => typeof v[f] === 'string');
  const resolved = variants.map(([prefix, variant]) => {
    const out: Record<string, string> = {};
    for (const field of given(variant)) {
      const fail = (code: string, message: string) => issues.push({ path: `$.${prefix}${field}`, code, message });
      let source = assemble(file, field, variant[field] as string, parts, fail);
      if (field === 'mjml') {
        const { html, errors } = compileMjml(source);
        const located = file.layout || source !== variant[field] ? ' of the MJML as assembled (layout and fragments inlined)' : '';
        for (const e of errors) fail('mjml', `line ${e.line}${located}: ${e.message}`);
        if (html === undefined) continue;
        // MJML writes lang="und" unless <mjml lang> says: a variant's language is known here.
        const lang = prefix ? prefix.slice('locales.'.length, -1) : (file.locale ?? 'en');
        source = html.replace(/^(<!doctype html>\s*<html) lang="und"/i, `$1 lang="${lang}"`);
      }
      try {
        checkTemplateSyntax(source);
      } catch (error) {
        fail('template-syntax', (error as Error).message.replace(/\s*\n\s*/g, ' '));
        continue;
      }
      checkVariables(source, attributes, fail);
      out[field === 'mjml' ? 'html' : field] = source;
    }
    return [prefix, out] as const;
  });
  const own = resolved[0]![1];
  for (const [prefix, variant] of resolved.slice(1)) {
    const missing = Object.keys(own).filter((f) => variant[f] === undefined && !issues.some((i) => i.path.startsWith(`$.${prefix}`)));
    if (missing.length > 0) issues.push({ path: `$.${prefix.slice(0, -1)}`, code: 'incomplete-locale', message: `gives no ${missing.join(', ')}; a variant translates every field the template has (${Object.keys(own).join(', ')})` });
  }
  // CAN-SPAM and the Gmail / Yahoo bulk-sender rules: a marketing email shows how to leave, in every body.
  if (file.channel === 'email' && (file.category ?? 'transactional') !== 'transactional') {
    for (const [prefix, variant] of resolved) {
      if (variant.html !== undefined && !UNSUBSCRIBE_HREF.test(variant.html)) issues.push({ path: `$.${prefix}${file.mjml !== undefined ? 'mjml' : 'html'}`, code: 'missing-unsubscribe-link', message: `an email of the ${file.category} list needs a visible unsubscribe link: <a href="{{unsubscribeUrl}}">Unsubscribe</a> (in the template, a fragment or its layout)` });
      if (variant.text !== undefined && !UNSUBSCRIBE_TEXT.test(variant.text)) issues.push({ path: `$.${prefix}text`, code: 'missing-unsubscribe-link', message: `an email of the ${file.category} list needs the unsubscribe link in its text too: {{unsubscribeUrl}}` });
    }
  }
  if (issues.length > before) return undefined;
  const { layout: _layout, mjml: _mjml, locales: _locales, ...rest } = file as TemplateFile & { mjml?: string };
  const locales = Object.fromEntries(resolved.slice(1).map(([prefix, v]) => [prefix.slice('locales.'.length, -1), v]));
  return { ...rest, ...own, ...(Object.keys(locales).length > 0 ? { locales } : {}) } as MessageTemplate;
}
