import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../workspace/load';
import { workspaceProblems } from './helpers';
import { chooseLocale, compileTemplate } from '../../functions/domain/templates';

// What `jo validate` (and synth, and npm start) refuses in template files, each with its file, path and reason;
// and what a loaded template holds: its fragments, layout and MJML resolved, nothing left to read at send time.

/** A workspace of one journey sending `main`, plus the files given (path → content). */
function workspace(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'tpl-'));
  const all = { 'journeys/j.json': { id: 'j', name: 'j', entry: { event: 'x' }, start: 'm', steps: { m: { type: 'email', template: 'main', next: 'e' }, e: { type: 'end' } } }, ...files };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}
const problems = workspaceProblems;
const email = (fields: Record<string, unknown>) => ({ channel: 'email', subject: 'Hi', ...fields });

describe('jo validate refuses', () => {
  it('a marketing email without a visible unsubscribe link, in html and in text', () => {
    expect(problems(workspace({ 'templates/main.json': email({ category: 'marketing', html: '<p>Sale</p>', text: 'Sale {{unsubscribeUrl}}' }) }))).toStrictEqual([
      'templates/main.json $.html missing-unsubscribe-link: an email of the marketing list needs a visible unsubscribe link: <a href="{{unsubscribeUrl}}">Unsubscribe</a> (in the template, a fragment or its layout)',
    ]);
    expect(problems(workspace({ 'templates/main.json': email({ category: 'marketing', text: 'Sale' }) }))).toStrictEqual(['templates/main.json $.text missing-unsubscribe-link: an email of the marketing list needs the unsubscribe link in its text too: {{unsubscribeUrl}}']);
    // Transactional mail needs none; a link from the layout's footer counts.
    expect(problems(workspace({ 'templates/main.json': email({ text: 'Receipt' }) }))).toStrictEqual([]);
    expect(problems(workspace({ 'templates/main.json': email({ category: 'marketing', layout: 'l', text: 'Sale' }), 'templates/layouts/l.txt': '{{> content}}\n{{> foot}}', 'templates/fragments/foot.txt': 'Leave: {{unsubscribeUrl}}' }))).toStrictEqual([]);
  });

  it('an unknown fragment (naming the closest), a fragment cycle, and a fragment with arguments', () => {
    const unknown = workspace({ 'templates/main.json': email({ text: 'A {{> footr}}' }), 'templates/fragments/footer.txt': 'bye' });
    expect(problems(unknown)).toStrictEqual(['templates/main.json $.text unknown-fragment: no fragment "footr" in templates/fragments/ (.txt, .hbs) (did you mean "footer"?); fragments are: footer']);
    const cycle = workspace({ 'templates/main.json': email({ text: '{{> a}}' }), 'templates/fragments/a.txt': 'A {{> b}}', 'templates/fragments/b.hbs': 'B {{> a}}' });
    expect(problems(cycle)).toStrictEqual(['templates/main.json $.text fragment-cycle: fragments include each other in a cycle: a → b → a']);
    const args = workspace({ 'templates/main.json': email({ text: '{{> a name="x"}}' }), 'templates/fragments/a.txt': 'A' });
    expect(problems(args)[0]).toMatch(/\$\.text template-fragment: a fragment takes no arguments/);
  });

  it('an MJML error, with its line', () => {
    const root = workspace({ 'templates/main.json': email({ mjml: '<mjml>\n<mj-body>\n<mj-sectoin></mj-sectoin>\n</mj-body>\n</mjml>' }) });
    expect(problems(root)).toStrictEqual(["templates/main.json $.mjml mjml: line 3: Element mj-sectoin doesn't exist or is not registered"]);
  });

  it('with attributes.json: an unknown attribute in a template or a predicate, naming the closest; a misspelt variable root always', () => {
    const root = workspace({
      'attributes.json': { attributes: { firstName: { type: 'string' }, tier: { type: 'string' } } },
      'templates/main.json': email({ text: '{{profile.attributes.firstNmae}} {{profile.attributes.locale}} {{#each offers}}{{whatever}}{{/each}}' }),
      'audiences/vips.json': { id: 'vips', name: 'VIPs', where: { path: 'profile.attributes.tiers', op: 'eq', value: 'gold' } },
    });
    expect(problems(root)).toStrictEqual([
      'templates/main.json $.text unknown-attribute: {{profile.attributes.firstNmae}}: unknown attribute "firstNmae" (did you mean "firstName"?): attributes.json declares firstName, tier',
      'audiences/vips.json $.where.path unknown-attribute: unknown attribute "tiers" (did you mean "tier"?): attributes.json declares firstName, tier',
    ]);
    expect(problems(workspace({ 'templates/main.json': email({ text: '{{profile.atributes.firstName}} {{evnt.x}}' }) }))).toStrictEqual([
      'templates/main.json $.text unknown-variable: {{profile.atributes.firstName}}: a profile has id and attributes (did you mean "attributes"?)',
      'templates/main.json $.text unknown-variable: {{evnt.x}}: templates see profile, event, journey, context, offers, decisions, unsubscribeUrl, preferencesUrl (did you mean "event"?)',
    ]);
  });

  it('a locale variant that leaves a field of the template out', () => {
    const root = workspace({ 'templates/main.json': email({ text: 'Hi', html: '<p>Hi</p>', locales: { fr: { subject: 'Salut', text: 'Salut' } } }) });
    expect(problems(root)).toStrictEqual(['templates/main.json $.locales.fr incomplete-locale: gives no html; a variant translates every field the template has (subject, html, text)']);
  });
});

describe('jo validate and jo render, as a person runs them', () => {
  it('validate lists every template problem and exits 1; render prints a variant', () => {
    const root = workspace({
      'templates/main.json': email({ category: 'marketing', text: 'Sale {{> footr}}', mjml: '<mjml>\n<mj-body>\n<mj-sectoin></mj-sectoin>\n</mj-body>\n</mjml>' }),
      'templates/fragments/footer.txt': '{{unsubscribeUrl}}',
    });
    const validate = spawnSync('npx', ['tsx', 'cli/jo.ts', 'validate', root], { encoding: 'utf8' });
    expect(validate.status).toBe(1);
    expect(validate.stderr.trim().split('\n')).toStrictEqual([
      '3 problem(s) in the workspace:',
      '  templates/main.json $.text: unknown-fragment: no fragment "footr" in templates/fragments/ (.txt, .hbs) (did you mean "footer"?); fragments are: footer',
      "  templates/main.json $.mjml: mjml: line 3: Element mj-sectoin doesn't exist or is not registered",
      '  templates/main.json $.text: missing-unsubscribe-link: an email of the marketing list needs the unsubscribe link in its text too: {{unsubscribeUrl}}',
    ]);
    writeFileSync(join(root, 'p.json'), JSON.stringify({ id: 'p1', attributes: { firstName: 'Zoé', plan: 'Plus', locale: 'fr-BE' } }));
    const render = spawnSync('npx', ['tsx', 'cli/jo.ts', 'render', 'examples/store/templates/welcome.json', '--profile', join(root, 'p.json')], { encoding: 'utf8' });
    expect(render.status).toBe(0);
    expect(render.stdout).toBe(
      ['welcome: email, locale fr', 'subject: Bienvenue, Zoé', 'html: <p>Bonjour Zoé,</p><p>Merci de votre inscription. Votre formule : <b>Plus</b>.</p>', '--- text', 'Bonjour Zoé,', '', 'Merci de votre inscription. Votre formule : Plus.', '', ''].join('\n'),
    );
  });
});

describe('a loaded template', () => {
  it('holds its layout and fragments inlined, per field kind, and its variants', () => {
    const root = workspace({
      'templates/main.json': email({ layout: 'l', html: '<p>Hi</p>', text: 'Hi', locales: { fr: { subject: 'Salut', html: '<p>Salut</p>', text: 'Salut' } } }),
      'templates/layouts/l.html': '<main>{{> content}}</main>{{> foot}}',
      'templates/layouts/l.txt': '{{> content}}\n-- {{> foot}}',
      'templates/fragments/foot.html': '<footer>Shop</footer>',
      'templates/fragments/foot.txt': 'Shop',
    });
    expect(loadWorkspace(root).templates.main).toStrictEqual({
      channel: 'email',
      subject: 'Hi',
      html: '<main><p>Hi</p></main><footer>Shop</footer>',
      text: 'Hi\n-- Shop',
      locales: { fr: { subject: 'Salut', html: '<main><p>Salut</p></main><footer>Shop</footer>', text: 'Salut\n-- Shop' } },
    });
  });

  it('picks a variant by the locale chain and formats with the profile locale and time zone', () => {
    const template = { channel: 'email' as const, locale: 'en', subject: 'x', text: '{{formatDate at style="short" time=true}} {{formatNumber n decimals=1}} {{default missing "-"}}', locales: { fr: { subject: 'y', text: 'fr' }, 'zh-Hant': { subject: 'z', text: 'zh' } } };
    expect([chooseLocale(template, 'fr-CA'), chooseLocale(template, 'fr_ca'), chooseLocale(template, 'zh-Hant-TW'), chooseLocale(template, 'en-GB'), chooseLocale(template, 'nonsense tag'), chooseLocale(template, 42)]).toStrictEqual(['fr', 'fr', 'zh-Hant', undefined, undefined, undefined]);
    const scope = (attributes: Record<string, unknown>) => ({ profile: { id: 'p', attributes }, event: {}, journey: { id: 'j', step: 's' }, at: '2026-12-24T18:30:00Z', n: 1234.56 });
    const render = compileTemplate(template);
    expect(render(scope({ locale: 'en-GB', timeZone: 'Asia/Tokyo' }) as never)).toStrictEqual({ locale: 'en', fields: { subject: 'x', text: '25/12/2026, 03:30 1,234.6 -' } });
    expect(render(scope({ locale: 'de-DE', timeZone: 'Europe/Berlin' }) as never)).toStrictEqual({ locale: 'en', fields: { subject: 'x', text: '24.12.26, 19:30 1.234,6 -' } });
  });
});
