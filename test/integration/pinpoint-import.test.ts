import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPinpointCommand, importProfilesCommand } from '../../cli/import';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { writePinpointExport } from '../fixtures/pinpoint/export';
import { eventually, mailbox, mailTo, postEvents } from './helpers';

// Leaving Pinpoint: the export the AWS CLI prints, imported as a workspace that validates, loaded in the local
// runtime, its profiles imported, and one imported journey played end to end.

const root = mkdtempSync(join(tmpdir(), 'pinpoint-'));
const exportDir = join(root, 'export');
const workspace = join(root, 'workspace');
let runtime: LocalRuntime;

beforeAll(async () => {
  writePinpointExport(exportDir);
  const summary = importPinpointCommand(exportDir, workspace);
  expect(summary.problems).toStrictEqual([]);
  runtime = await startLocalRuntime({ workspace, apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, schedules: false, timeScale: 0.001, logLevel: 'SILENT' });
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(root, { recursive: true, force: true });
});

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await response.json()) as Record<string, unknown>;
};

/** A time zone where it is midday now: the imported quiet hours (22:00-07:00) never hold the email back. */
const middayZone = () => {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
};

describe('jo import pinpoint, then jo import profiles, in the local runtime', () => {
  it('writes a workspace that validates, and rerunning changes nothing', () => {
    const files = ['journeys/welcome-series.json', 'journeys/win-back.json', 'journeys/vip-apres-achat.json', 'campaigns/spring-sale.json', 'campaigns/order-update-sms.json', 'campaigns/win-back-start.json', 'audiences/lapsed-customers.json', 'audiences/engaged-eu.json', 'audiences/beta-testers.json', 'templates/welcome.json', 'migration-report.md', 'profiles.jsonl'];
    for (const f of files) expect(readFileSync(join(workspace, f), 'utf8').length, f).toBeGreaterThan(0);
    expect(importPinpointCommand(exportDir, workspace)).toMatchObject({ changed: 0, problems: [] });
    const report = readFileSync(join(workspace, 'migration-report.md'), 'utf8');
    expect(report).toMatch(/\| journeys \| 3 \|/);
    expect(report).toMatch(/\| profiles \(known users\) \| 35 \|/);
    expect(report).toMatch(/\| profiles \(anonymous endpoints\) \| 5 \|/);
    expect(report).toMatch(/activity lambdaHook\*\*: CUSTOM activity .* passed over/);
    expect(report).toMatch(/activity crmCall\*\*: ContactCenter/);
    // The A/B campaign: the campaign's own treatments, each its share and template, and 10% held out.
    const campaign = JSON.parse(readFileSync(join(workspace, 'campaigns/spring-sale.json'), 'utf8')) as { treatments: unknown; holdout: number };
    expect(campaign).toMatchObject({ treatments: [{ id: 'a', weight: 45, message: { channel: 'email', template: 'spring-sale' } }, { id: 'b', weight: 45, message: { channel: 'email', template: 'spring-sale-b' } }], holdout: 10 });
    expect(existsSync(join(workspace, 'journeys/spring-sale-treatments.json'))).toBe(false);
  });

  it('imports the profiles (stitched, audiences evaluated, no journey started); again, as duplicates; then the imported journey runs to its end: the imported email template with the first name, the open, the text', async () => {
    const file = join(workspace, 'profiles.jsonl');
    const first = await importProfilesCommand({ file, api: runtime.apiUrl, key: runtime.apiKey });
    expect(first).toMatchObject({ lines: 40, accepted: 40, duplicates: 0, errors: [] });
    await runtime.idle();
    expect(await importProfilesCommand({ file, api: runtime.apiUrl, key: runtime.apiKey })).toMatchObject({ accepted: 0, duplicates: 40, errors: [] });
    expect(await mailbox(runtime)).toStrictEqual([]);

    const zoe = await api('GET', '/profiles/user-01');
    expect(zoe).toMatchObject({ attributes: { FirstName: 'Zoë', Plan: 'premium', locale: 'fr-FR', email: 'user01@example.com' } });
    expect(Object.keys(zoe.audiences as object)).toContain('beta-testers');
    // Opted out of email (OptOut ALL): consent denied; an INACTIVE endpoint's address is not carried.
    expect(await api('GET', '/profiles/user-03')).toMatchObject({ consents: { email: { marketing: { status: 'denied' } } } });
    expect((await api('GET', '/profiles/user-05')).attributes).not.toHaveProperty('email');
    expect(await api('GET', '/profiles?pushToken=anon-token-2')).toMatchObject({ id: 'anonymous:anon-2' });

    await api('PATCH', '/profiles/user-01', { attributes: { timeZone: middayZone() } });
    await postEvents(runtime, { id: 'signup-zoe', type: 'sign_up', profileId: 'user-01', properties: {} });
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'user01@example.com');
      return m.length > 0 && m;
    });
    expect(mail!.subject).toBe('Welcome, Zoë!');
    expect(mail!.body.html).toContain('<h1>Hi Zoë,</h1><p>Your plan: premium.</p>');
    expect(mail!.body.text).toMatch(/^Hi Zoë, your plan: premium\.\n\n--\nUnsubscribe: http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=/);

    // On to the end: the hour's wait (scaled), then the condition on the open (a wait for email.opened from that
    // step): the person opens it, and gets the thank-you text.
    const report = async () => (await api('GET', '/journeys/welcome-series/report')) as { steps: Record<string, { waiting?: number; sent?: number }>; totals: { completed: number } };
    await eventually(async () => (await report()).steps.openedcheck?.waiting === 1);
    await postEvents(runtime, { id: 'open-zoe', type: 'email.opened', profileId: 'user-01', properties: { journey: 'welcome-series', step: 'welcomeemail' } });
    const texts = async () => ((await (await fetch(`${runtime.messagingUrl}/store`)).json()) as { sms: Array<{ to: string; body: string }> }).sms;
    expect(await eventually(async () => (await texts()).length > 0 && texts())).toStrictEqual([{ to: '+33612345600', body: 'Thanks! You are on premium. Reply STOP to opt out.' }].map((t) => expect.objectContaining(t)));
    await eventually(async () => (await report()).totals.completed === 1);
  });

  it('the open-or-not split counts an open during the wait before it (Pinpoint asks whether it happened since the message)', async () => {
    await api('PATCH', '/profiles/user-02', { attributes: { timeZone: middayZone() } });
    await postEvents(runtime, { id: 'signup-jose', type: 'sign_up', profileId: 'user-02', properties: {} });
    await eventually(async () => (await mailTo(runtime, 'user02@example.com')).length > 0);
    // Opened at once, during the hour's wait: before the condition's wait for the open began.
    await postEvents(runtime, { id: 'open-jose', type: 'email.opened', profileId: 'user-02', properties: { journey: 'welcome-series', step: 'welcomeemail' } });
    const texts = async () => ((await (await fetch(`${runtime.messagingUrl}/store`)).json()) as { sms: Array<{ to: string; body: string }> }).sms.filter((t) => t.to === '+33612345601');
    expect(await eventually(async () => (await texts()).length > 0 && texts())).toStrictEqual([expect.objectContaining({ body: 'Thanks! You are on basic. Reply STOP to opt out.' })]);
    await runtime.idle();
    const push = ((await (await fetch(`${runtime.messagingUrl}/store`)).json()) as { push: Array<{ to: Array<{ token: string }> }> }).push;
    expect(push.filter((p) => p.to.some((t) => t.token.startsWith('token-02')))).toStrictEqual([]);
  });

  it('reports a malformed file with its name and line, and imports the rest', () => {
    writeFileSync(join(exportDir, 'journeys/broken.json'), '{ "JourneyResponse": ');
    appendFileSync(join(exportDir, 'endpoints/export-1.jsonl'), '{"Id": "late", oops}\n');
    const summary = importPinpointCommand(exportDir, workspace);
    expect(summary.problems).toStrictEqual([]);
    const report = readFileSync(join(workspace, 'migration-report.md'), 'utf8');
    expect(report).toMatch(/- \*\*journeys\/broken\.json\*\*: not read: /);
    expect(report).toMatch(/- \*\*endpoints\/export-1\.jsonl:61\*\*: not read: /);
    expect(report).toMatch(/\| journeys \| 3 \|/);
  });

  it('refuses bad profile lines by line number, and imports the others', async () => {
    const file = join(root, 'more.csv');
    writeFileSync(file, 'id,email,FirstName\nuser-90,u90@example.com,Nina\n,nobody@example.com,NoId\nuser-91,u91@example.com,Olaf\n');
    const report = await importProfilesCommand({ file, api: runtime.apiUrl, key: runtime.apiKey });
    expect(report).toMatchObject({ accepted: 2, errors: [{ line: 3, message: expect.stringContaining('give id (a known person) or anonymousId') }] });
    await runtime.queue.idle();
    expect(await api('GET', '/profiles/user-91')).toMatchObject({ attributes: { FirstName: 'Olaf', email: 'u91@example.com' } });
  });

  it('imports a file from the exports bucket as a job (the AWS path): refused lines reported, a second run all duplicates', async () => {
    mkdirSync(join(runtime.exportsDir, 'imports'), { recursive: true });
    const source = join(runtime.exportsDir, 'imports', 'more.jsonl');
    copyFileSync(join(workspace, 'profiles.jsonl'), source);
    appendFileSync(source, '{"id": "user-77", "attributes": {"FirstName": "Ulla"}}\nnot json\n');
    const run = async () => {
      const started = await api('POST', '/imports', { source: 'imports/more.jsonl' });
      expect(started).toMatchObject({ status: 'running' });
      return eventually(async () => {
        const job = await api('GET', `/imports/${started.jobId as string}`);
        return job.status === 'done' && job;
      });
    };
    const first = await run();
    expect(first).toMatchObject({ kind: 'import', lines: 42, count: 1, duplicates: 40, errors: 1 });
    await runtime.queue.idle();
    expect(await api('GET', '/profiles/user-77')).toMatchObject({ attributes: { FirstName: 'Ulla' } });
    const report = readFileSync(join(runtime.exportsDir, 'imports', first.jobId as string, (first.parts as string[])[0]!), 'utf8');
    expect(JSON.parse(report.trim())).toMatchObject({ line: 42, message: expect.stringContaining('not JSON') });
    expect(await run()).toMatchObject({ lines: 42, count: 0, duplicates: 41, errors: 1 });
    expect(await api('POST', '/imports', { source: '../etc/passwd' })).toMatchObject({ error: 'ValidationError', issues: [{ path: 'source' }] });
  });
});
