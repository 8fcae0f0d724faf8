import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED, startLocalRuntime, type LocalRuntime, READ_API_KEY } from '../../local/runtime';
import { journeyReportSchema } from '../../functions/handlers/report-api/app';
import { eventually, mailbox, postEvents } from './helpers';

// The live report against the emulators: 100 profiles (the smallest volume that takes every path) through the example onboarding journey (a condition, a
// split with a holdout, a wait for an event), with faults injected on the way. The counts must equal the
// messages SES captured and the paths taken, exactly; the report page must show the API's counts.

const PROFILES = 100;
const INSTALLS = 20;
const appUser = (i: number) => i % 3 === 0;
const nonAppUsers = Array.from({ length: PROFILES }, (_, i) => i).filter((i) => !appUser(i));

let runtime: LocalRuntime;
const injected = { countReplies: 0, sesThrottles: 0 };
// The writes that count: Standard, the count task of has-app's first visit; Express, the writes that end a
// segment with its counts (a continuation parked, a run's end).
const countingWrite = (marker: string) => marker.endsWith('#has-app#1#entered') || marker.startsWith('W#onb-') || marker.startsWith('J#onb-');

beforeAll(async () => {
  runtime = await startLocalRuntime({
    ...EMBEDDED,
    workspace: 'examples/store',
    instrument: ({ dynamodb, ses }) => {
      // A count task whose write went through but whose answer was lost (3 times): Step Functions retries it.
      dynamodb.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          const items = (args.input as { TransactItems?: Array<{ Put?: { Item?: { pk?: { S?: string } } }; Update?: { Key?: { pk?: { S?: string } } } }> }).TransactItems;
          const marker = items?.[0]?.Put?.Item?.pk?.S ?? items?.[0]?.Update?.Key?.pk?.S ?? '';
          if ((context as { commandName?: string }).commandName === 'TransactWriteItemsCommand' && countingWrite(marker) && injected.countReplies < 3) {
            injected.countReplies += 1;
            throw Object.assign(new Error('socket hang up after the write'), { name: 'TimeoutError' });
          }
          return result;
        },
        { step: 'finalizeRequest', name: 'loseCountReplies' },
      );
      // SES throttles two sends: the message step retries them.
      ses.middlewareStack.add(
        (next, context) => async (args) => {
          if ((context as { commandName?: string }).commandName === 'SendEmailCommand' && injected.sesThrottles < 2) {
            injected.sesThrottles += 1;
            throw Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException', $fault: 'client' });
          }
          return next(args);
        },
        { step: 'initialize', name: 'throttleTwice' },
      );
    },
  });
});
afterAll(async () => runtime?.stop());

const report = async (journey = 'onboarding') => {
  const response = await fetch(`${runtime.apiUrl}/journeys/${journey}/report`, { headers: { authorization: `Bearer ${runtime.apiKey}` } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const subjects = async () => {
  const mail = (await mailbox(runtime)).filter((m) => m.destination.to[0]?.startsWith('onb-'));
  const count = (start: string) => mail.filter((m) => m.subject.startsWith(start)).length;
  return { all: mail.length, short: count('3 things'), long: count('Getting the most'), install: count('Onboarder') };
};

describe('live report of a journey', () => {
  it('counts 100 profiles through a condition, a split with a holdout and a wait for an event: equal to the captured mail and the paths, retries counted once', async () => {
    const registrations = Array.from({ length: PROFILES }, (_, i) => ({
      id: `onb-reg-${i}`,
      type: 'customer.registered',
      profileId: `onb-${i}`,
      attributes: { email: `onb-${i}@example.com`, firstName: 'Onboarder', appUser: appUser(i) },
      properties: {},
    }));
    for (let i = 0; i < PROFILES; i += 100) expect((await postEvents(runtime, { events: registrations.slice(i, i + 100) })).status).toBe(202);

    // Everyone is in: app users got their tips (or were held out), the others their nudge and now wait.
    const first = await eventually(async () => {
      const r = (await report()).body;
      const m = await subjects();
      return r.steps.installed.waiting === nonAppUsers.length && r.totals.completed === PROFILES - nonAppUsers.length && r.totals.inFlight === nonAppUsers.length && m.all === r.steps['tips-short'].sent + r.steps['tips-long'].sent + nonAppUsers.length && { r, m };
    }, 60_000);
    expect(injected).toStrictEqual({ countReplies: 3, sesThrottles: 2 });
    const apps = PROFILES - nonAppUsers.length;
    expect(first.r.totals).toMatchObject({ entered: PROFILES, inFlight: nonAppUsers.length, completed: apps, failed: 0, stopped: 0 });
    expect(first.r.steps['has-app'].entered).toBe(PROFILES); // three retried counts, counted once
    expect(first.r.steps.tips.entered).toBe(apps);
    expect(first.r.steps['install-nudge']).toMatchObject({ entered: nonAppUsers.length, sent: first.m.install });
    expect(first.m.install).toBe(nonAppUsers.length);
    expect(first.r.steps['tips-short']).toMatchObject({ entered: first.m.short, sent: first.m.short });
    expect(first.r.steps['tips-long']).toMatchObject({ entered: first.m.long, sent: first.m.long });
    expect(first.r.steps['tips.holdout'].entered).toBe(apps - first.m.short - first.m.long);
    expect(first.r.steps['tips.holdout'].entered).toBeGreaterThan(0);
    expect(first.r.steps.done.entered).toBe(first.m.short + first.m.long);

    // 40 of those waiting install the app: they leave the wait, get the tips (or are held out).
    const installs = nonAppUsers.slice(0, INSTALLS).map((i) => ({ id: `onb-inst-${i}`, type: 'app.installed', profileId: `onb-${i}`, properties: {} }));
    await postEvents(runtime, { events: installs });
    const second = await eventually(async () => {
      const r = (await report()).body;
      return r.steps.installed.waiting === nonAppUsers.length - INSTALLS && r.totals.completed === apps + INSTALLS && r.totals.inFlight === nonAppUsers.length - INSTALLS && r;
    }, 60_000);
    const m = await subjects();
    expect(second.totals).toMatchObject({ entered: PROFILES, inFlight: nonAppUsers.length - INSTALLS, completed: apps + INSTALLS, failed: 0 });
    expect(second.steps.tips.entered).toBe(apps + INSTALLS);
    expect(second.steps['tips-short'].sent + second.steps['tips-long'].sent).toBe(m.short + m.long);
    expect(second.steps['tips-short'].sent).toBe(m.short);
    expect(second.steps['tips.holdout'].entered).toBe(apps + INSTALLS - m.short - m.long);
    expect(second.steps.installed.entered).toBe(nonAppUsers.length);
  }, 180_000);

  it('jo report prints the same counts as a table', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('npx', ['tsx', 'cli/jo.ts', 'report', 'onboarding', '--api', runtime.apiUrl, '--key', runtime.apiKey], (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))),
    );
    const api = (await report()).body;
    expect(journeyReportSchema.parse(api)).toStrictEqual(api); // the answer is what the API reference says
    expect(out).toContain(`entered ${api.totals.entered} · in the journey now ${api.totals.inFlight} · completed ${api.totals.completed}`);
    const row = (step: string) => out.split('\n').find((l) => l.trimStart().startsWith(`${step} `))!.trim().split(/\s{2,}/);
    expect(row('has-app').slice(0, 2)).toStrictEqual(['has-app', String(api.steps['has-app'].entered)]);
    expect(row('installed').slice(0, 3)).toStrictEqual(['installed', String(api.steps.installed.entered), String(api.steps.installed.waiting)]);
    expect(row('tips-short').slice(0, 3)).toStrictEqual(['tips-short', String(api.steps['tips-short'].entered), String(api.steps['tips-short'].sent)]);
  }, 60_000);

  it('refuses a bad period, and an unknown journey', async () => {
    const bad = await fetch(`${runtime.apiUrl}/journeys/onboarding/report?from=yesterday`, { headers: { authorization: `Bearer ${runtime.apiKey}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: unknown[] }).issues).toStrictEqual([{ path: 'from', message: 'must be an ISO 8601 timestamp with a time zone' }]);
    expect((await report('nope')).status).toBe(404);
    expect((await fetch(`${runtime.apiUrl}/journeys/onboarding/report`)).status).toBe(401);
  });

  it('the report page shows the counts of the API, drawn on the journey (headless Chromium)', async () => {
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    expect(existsSync(executablePath), `${executablePath}: install Debian's chromium package (.ci/run does)`).toBe(true);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${runtime.apiUrl}/report#journey=onboarding&key=${READ_API_KEY}`); // the read-only key is enough
      await page.waitForSelector('body[data-ready="true"]');
      const api = (await report()).body;
      const shown = await page.$$eval('#graph g.node[data-step]', (nodes) => nodes.map((n) => ({ step: n.getAttribute('data-step'), entered: n.getAttribute('data-entered'), sent: n.getAttribute('data-sent'), waiting: n.getAttribute('data-waiting') })));
      for (const node of shown.filter((n) => n.step !== '__entry')) {
        const step = api.steps[node.step!];
        expect({ step: node.step, entered: Number(node.entered), sent: node.sent === null ? undefined : Number(node.sent), waiting: node.waiting === null ? undefined : Number(node.waiting) }).toStrictEqual({
          step: node.step,
          entered: step.entered,
          sent: step.sent,
          waiting: step.waiting,
        });
      }
      expect(shown.map((n) => n.step).sort()).toStrictEqual(['__entry', ...Object.keys(api.steps)].sort());
      const funnel = await page.$$eval('#funnel .bar', (bars) => bars.map((b) => [b.getAttribute('data-step'), Number(b.getAttribute('data-entered'))]));
      expect(Object.fromEntries(funnel)).toStrictEqual(Object.fromEntries(Object.entries(api.steps).map(([id, s]) => [id, (s as { entered: number }).entered])));
      expect(await page.textContent('[data-total="entered"] b')).toBe(String(api.totals.entered));
      const png = await page.screenshot({ fullPage: true });
      // A PNG of a real page: the signature, and a size only a drawn page has.
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
      const out = process.env.UPDATE_SCREENSHOTS ? 'docs/report.png' : join(mkdtempSync(join(tmpdir(), 'jo-report-')), 'report.png');
      writeFileSync(out, png);
      expect(readFileSync(out).length).toBe(png.length);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
