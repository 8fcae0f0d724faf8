import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailTo, mailbox, postEvents } from './helpers';

// Messages a real sender ships: locale variants with their fallbacks, MJML compiled at load, the unsubscribe
// link in the body, previews and proofs, declared attributes; in the local runtime (SES emulator, dynalite).

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/messages', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

let n = 0;
const event = async (type: string, profileId: string, extra: Record<string, unknown> = {}) => {
  await postEvents(runtime, { id: `m-${(n += 1)}`, type, profileId, properties: {}, ...extra });
  await runtime.idle();
};
const api = (path: string, body: unknown, method = 'POST') =>
  fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const only = async (to: string) => eventually(async () => (await mailTo(runtime, to))[0]);

describe('message templates, in the local runtime', () => {
  it('sends the variant of the profile locale: fr, fr-CA falling back to fr, an unknown locale to the default', async () => {
    const properties = { total: 12.5, at: '2026-12-24T12:00:00Z' };
    await event('greet.requested', 'p-fr', { attributes: { email: 'fr@example.com', firstName: 'Amélie', locale: 'fr', timeZone: 'Europe/Paris' }, properties });
    await event('greet.requested', 'p-ca', { attributes: { email: 'ca@example.com', firstName: 'Luc', locale: 'fr-CA', timeZone: 'America/Toronto' }, properties });
    await event('greet.requested', 'p-pt', { attributes: { email: 'pt@example.com', locale: 'pt-BR' }, properties });
    const [fr, ca, pt] = [await only('fr@example.com'), await only('ca@example.com'), await only('pt@example.com')];
    expect(fr.subject).toBe('Bonjour Amélie');
    expect(fr.body.text).toBe('Votre total : 12,50\u00a0€ le 24 décembre 2026.');
    expect(ca.subject).toBe('Bonjour Luc');
    // The fr variant, with fr-CA's number formats.
    expect(ca.body.text).toBe('Votre total : 12,50\u00a0€ le 24 décembre 2026.');
    // No variant for pt: the template's own fields, `default` filling the missing name, numbers in pt-BR.
    expect(pt.subject).toBe('Hello friend');
    expect(pt.body.text).toBe('Your total: €\u00a012,50 on 24 de dezembro de 2026.');
    // The report says which variant went, per step.
    const report = (await (await fetch(`${runtime.apiUrl}/journeys/greet/report`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { steps: { mail: unknown } };
    expect(report.steps.mail).toMatchObject({ sent: 3, locales: { fr: 2, en: 1 } });
  });

  it('an MJML template arrives as responsive HTML; its unsubscribe link unsubscribes in one click and the next marketing email is skipped; the preference page brings it back', async () => {
    await event('news.requested', 'p-news', { attributes: { email: 'news@example.com', firstName: 'Ada' } });
    const mail = await only('news@example.com');
    expect(mail.subject).toBe('News for Ada');
    expect(mail.body.html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(mail.body.html).toContain('mj-column-per-100');
    expect(mail.body.html).not.toMatch(/<mj-/);
    // The href as a mail client reads it (Handlebars escapes = and & in html fields; HTML decodes them).
    const href = /href="([^"]+\/unsubscribe\?[^"]+)"/.exec(mail.body.html ?? '')?.[1];
    const link = href?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(link).toMatch(new RegExp(`^${runtime.apiUrl}/unsubscribe\\?token=`));
    expect(mail.body.text).toContain(link);
    // A person following the link: a GET, no API key.
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('You will not receive marketing email');
    await event('news.requested', 'p-news');
    expect(await mailTo(runtime, 'news@example.com')).toHaveLength(1);

    // The preference page of the same email: the list shows as left; ticking it again brings the mail back.
    const preferences = /Preferences: (\S+)/.exec(mail.body.text ?? '')?.[1];
    expect(preferences).toMatch(new RegExp(`^${runtime.apiUrl}/preferences\\?token=`));
    const form = await (await fetch(preferences!)).text();
    expect(form).toMatch(/<input type="checkbox" name="email\.marketing" aria-label="marketing by email">/);
    const saved = await fetch(preferences!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email.marketing=on' });
    expect(await saved.text()).toMatch(/name="email\.marketing" aria-label="marketing by email" checked>/);
    await event('news.requested', 'p-news');
    expect(await mailTo(runtime, 'news@example.com')).toHaveLength(2);
    expect((await fetch(preferences!.replace(/.{4}$/, 'AAAA'))).status).toBe(400);
  });

  it('a proof reaches the proof list only, marked, and is not counted', async () => {
    await event('profile.seen', 'p-proof', { attributes: { email: 'customer@example.com', firstName: 'Grace' } });
    const counts = async () => {
      const report = (await (await fetch(`${runtime.apiUrl}/journeys/news/report`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { totals: unknown; steps: unknown };
      return { totals: report.totals, steps: report.steps };
    };
    const before = await counts();
    const response = await api('/templates/news/proof', { profileId: 'p-proof', list: 'team', context: { headline: 'boots' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ list: 'team', sent: [{ to: 'proof-a@example.com' }, { to: 'proof-b@example.com' }] });
    for (const to of ['proof-a@example.com', 'proof-b@example.com']) {
      const proof = await only(to);
      expect(proof.subject).toBe('[Proof] News for Grace');
      expect(proof.body.text).toContain('this month: boots');
    }
    expect(await mailTo(runtime, 'customer@example.com')).toHaveLength(0);
    expect(await counts()).toStrictEqual(before);
    // A list rules.json lacks, or a template that is not an email: named.
    const unknown = await api('/templates/news/proof', { profileId: 'p-proof', list: 'board' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ issues: [{ path: 'list', message: expect.stringContaining('lists are: team') }] });
    expect((await mailbox(runtime)).filter((m) => m.subject.startsWith('[Proof]'))).toHaveLength(2);
  });

  it('a preview renders for a profile, in the locale asked', async () => {
    await event('profile.seen', 'p-preview', { attributes: { email: 'preview@example.com', firstName: 'Jan', locale: 'fr' } });
    const response = await api('/templates/greeting/preview', { profileId: 'p-preview', locale: 'de', event: { properties: { total: 3 } } });
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ template: 'greeting', channel: 'email', locale: 'de', fields: { subject: 'Hallo Jan', text: 'Ihr Betrag: 3,00\u00a0€.' } });
    expect(await mailTo(runtime, 'preview@example.com')).toHaveLength(0);
  });

  it('with attributes.json, a profile write naming an unknown attribute is refused, naming the closest', async () => {
    const response = await api('/profiles/p-fr', { attributes: { firstNmae: 'A' } }, 'PATCH');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'attributes.firstNmae', message: expect.stringContaining('did you mean "firstName"') }] });
    expect((await api('/profiles/p-fr', { attributes: { firstName: 'Amélie', locale: 'fr-FR' } }, 'PATCH')).status).toBe(202);
  });
});
