import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/domain/journey-start';
import { nextLocalTime } from '../../functions/domain/local-time';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOfferStats } from '../../functions/adapters/dynamodb-offer-counters';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailTo, postEvents } from './helpers';
import { formatJourneyReport, formatModelReport } from '../../cli/report';

// Learning in the local runtime, on small populations: a send at the reader's best hour, a model whose score
// changes an audience, a channel choice that respects consent. Waits run at 1/100,000 of real time; jobs read
// pages of 10 items, so learning takes several slices of the jobs loop.

const NY = 'America/New_York';
const DAY = 86_400_000;
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: resolve(import.meta.dirname, '../fixtures/workspaces/intelligence'), apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.00001, schedules: false, exportPageSize: 10, audiencePassEveryMs: 0, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

const api = (path: string, init: RequestInit = {}) => fetch(`${runtime.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json', ...init.headers } });
const localHour = (at: string) => new Intl.DateTimeFormat('en-GB', { timeZone: NY, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
/** Posts events in batches of 100, as the API takes them. */
async function post(events: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < events.length; i += 100) expect((await postEvents(runtime, { events: events.slice(i, i + 100) })).status).toBe(202);
}
const done = (journey: string, profile: string, event: string) =>
  eventually(async () => {
    const e = runtime.stepFunctions.run(executionName(journey, profile, event));
    return e?.status === 'SUCCEEDED' && e;
  });

describe('send-time optimisation, in the local runtime', () => {
  it('sends at 19:00 local to a reader whose opens are at 19:00, at once to one with no history', async () => {
    const now = Date.now();
    // Ten evenings of opens at 19:15 New York time, the last ten days.
    const opens = Array.from({ length: 10 }, (_, d) => ({ id: `open-${d}`, type: 'email.opened', profileId: 'eve', timestamp: nextLocalTime(new Date(now - (d + 1) * DAY), '19:15', NY).toISOString(), properties: {} }));
    expect(opens.every((o) => localHour(o.timestamp) === '19:15')).toBe(true);
    await post([{ id: 'eve-0', type: 'signed.up', profileId: 'eve', attributes: { email: 'eve@example.com', firstName: 'Eve', timeZone: NY }, properties: {} }, ...opens]);
    await post([{ id: 'new-0', type: 'signed.up', profileId: 'newbie', attributes: { email: 'newbie@example.com', firstName: 'Nia', timeZone: NY }, properties: {} }]);

    await post([
      { id: 'digest-eve', type: 'digest.ready', profileId: 'eve', properties: {} },
      { id: 'digest-new', type: 'digest.ready', profileId: 'newbie', properties: {} },
    ]);
    const eve = await done('evening-digest', 'eve', 'digest-eve');
    const timing = (eve.output as { timing: { send: { at: string; group: string; now: boolean } } }).timing.send;
    expect(timing.group).toBe('best');
    expect(localHour(timing.at).slice(0, 2)).toBe('19');
    expect(Date.parse(timing.at) - now).toBeLessThan(DAY);
    // Unless it is 19:xx in New York now, the run waited for 19:00 sharp.
    if (!timing.now) expect(localHour(timing.at)).toBe('19:00');
    expect(eve.states).toContain('send');
    expect((await mailTo(runtime, 'eve@example.com')).map((m) => m.subject)).toStrictEqual(['Your evening digest']);

    // No history and no population pattern learned yet: every hour is as good, so now.
    const newbie = await done('evening-digest', 'newbie', 'digest-new');
    expect((newbie.output as { timing: { send: { now: boolean } } }).timing.send.now).toBe(true);
    expect(newbie.states).not.toContain('send.best.wait');

    const report = (await (await api('/journeys/evening-digest/report')).json()) as { steps: Record<string, { groups?: Record<string, { sent: number }> }> };
    expect(report.steps.send!.groups).toStrictEqual({ 'timing.best': { sent: 2, feedback: {} } });

    // A campaign with sendTime: each recipient in the slot of their best hour.
    const trigger = await api('/campaigns/evening-news/trigger', { method: 'POST', body: JSON.stringify({ profileIds: ['eve', 'newbie'] }) });
    expect(trigger.status).toBe(202);
    const { runId } = (await trigger.json()) as { runId: string };
    const run = await eventually(async () => {
      const r = (await (await api(`/campaigns/evening-news/runs/${runId}`)).json()) as { status: string; sent: number; sendTimes: string[]; groups?: Record<string, number> };
      return r.status === 'done' && r;
    });
    expect(run).toMatchObject({ sent: 2, groups: { 'timing.best': 2 } });
    expect((run as { skipped?: unknown }).skipped).toStrictEqual({});
    expect(run.sendTimes.map((t) => localHour(t).slice(0, 2))).toContain('19');
    expect(run.sendTimes).toHaveLength(timing.now ? 1 : 2); // newbie now, eve at 19:00 (the same, at 19:xx)
    const campaignReport = (await (await api('/campaigns/evening-news/report')).json()) as { totals: { groups?: Record<string, { sent: number }> } };
    expect(campaignReport.totals.groups).toStrictEqual({ 'timing.best': { sent: 2, feedback: {} } });
  });
});

describe('propensity models, in the local runtime', () => {
  it('trains on history, scores every profile, and the score moves people into an audience; erasure takes the score', async () => {
    const now = Date.now();
    const cutoff = now - 30 * DAY;
    const at = (ms: number) => new Date(ms).toISOString();
    // 24 keen profiles view products before the cutoff and order after it (and keep viewing); 24 idle ones do
    // neither. A few of each go against their kind, so the model is not perfect.
    const events: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 48; i += 1) {
      const keen = i % 2 === 0;
      const id = `${keen ? 'keen' : 'idle'}-${i}`;
      events.push({ id: `${id}-a`, type: 'signed.up', profileId: id, timestamp: at(cutoff - 40 * DAY), attributes: { email: `${id}@example.com` }, properties: {} });
      const views = keen ? 2 + (i % 3) : i % 7 === 1 ? 1 : 0;
      for (let v = 0; v < views; v += 1) {
        events.push({ id: `${id}-v${v}`, type: 'product.viewed', profileId: id, timestamp: at(cutoff - (v + 2) * DAY), properties: {} });
        events.push({ id: `${id}-r${v}`, type: 'product.viewed', profileId: id, timestamp: at(now - (v + 1) * DAY), properties: {} });
      }
      if ((keen && i % 10 !== 0) || (!keen && i % 13 === 1)) events.push({ id: `${id}-o`, type: 'order.completed', profileId: id, timestamp: at(cutoff + 5 * DAY), properties: {} });
    }
    await post(events);
    const profile = async (id: string) => (await (await api(`/profiles/${id}`)).json()) as { scores?: Record<string, number>; audiences?: Record<string, string> };
    expect((await profile('keen-2')).audiences ?? {}).not.toHaveProperty('likely-buyers');

    const job = await runtime.learn('buy_30d');
    expect(job).toMatchObject({ status: 'done', phase: 'score' });
    expect(job.collected).toBeGreaterThan(20); // more pages than one slice takes

    const model = (await (await api('/models/buy_30d/report')).json()) as { auc: number; rows: { training: number; heldOut: number }; calibration: unknown[]; coefficients: number[] };
    expect(model.rows.training + model.rows.heldOut).toBeGreaterThanOrEqual(48); // and the profiles of the other tests
    expect(model.auc).toBeGreaterThan(0.75);
    expect(model.coefficients[1]).toBeGreaterThan(0); // more views, more likely to order
    expect(JSON.stringify(model)).not.toMatch(/keen|idle|example\.com/);
    // `jo report --model buy_30d` prints it.
    const printed = formatModelReport(model as Parameters<typeof formatModelReport>[0]);
    expect(printed).toMatch(/^model buy_30d: trained \S+ \(features as of \S+\) on \d+ profiles, \d+ positive; AUC 0\.\d+ on \d+ held out/);
    expect(printed).toContain('count(product.viewed, P30D)');

    const keen = await profile('keen-2');
    const idle = await profile('idle-3');
    expect(keen.scores!.buy_30d).toBeGreaterThan(0.5);
    expect(idle.scores!.buy_30d).toBeLessThan(0.5);
    expect(keen.audiences).toHaveProperty('likely-buyers');
    expect(idle.audiences ?? {}).not.toHaveProperty('likely-buyers');

    // The engagement pattern, learned by the API's job (as its daily schedule does): the opens of the first test.
    const started = await api('/models/engagement/jobs', { method: 'POST' });
    expect(started.status).toBe(202);
    const { jobId } = (await started.json()) as { jobId: string };
    await runtime.idle();
    expect(await (await api(`/models/engagement/jobs/${jobId}`)).json()).toMatchObject({ modelId: 'engagement', status: 'done' });
    const engagement = (await (await api('/models/engagement/report')).json()) as { profiles: number; pattern: number[] };
    expect(engagement.profiles).toBeGreaterThanOrEqual(1);
    expect(engagement.pattern).toHaveLength(168);
    expect(formatModelReport(engagement as Parameters<typeof formatModelReport>[0])).toMatch(/busiest hours \(local\): \w{3} 19:00/);
    expect((await api('/models/nope/jobs', { method: 'POST' })).status).toBe(404);

    // Erasure removes the person, scores and all.
    expect((await api('/profiles/keen-2', { method: 'DELETE' })).status).toBeLessThan(300);
    await runtime.idle();
    expect((await api('/profiles/keen-2')).status).toBe(404);
  });
});

describe('channel choice, in the local runtime', () => {
  it('never chooses push for a profile without push consent; reports the channel chosen', async () => {
    const tokens = [{ token: 'tok-1', platform: 'GCM' }];
    const people = ['ana', 'ben', 'cat', 'dov', 'eli', 'fay'];
    await post(people.map((p) => ({ id: `${p}-0`, type: 'signed.up', profileId: p, attributes: { email: `${p}@example.com`, pushTokens: tokens }, properties: {} })));
    for (const p of people) {
      const patched = await api(`/profiles/${p}`, { method: 'PATCH', body: JSON.stringify({ consents: { push: { marketing: 'denied' } } }) });
      expect(patched.status).toBe(202);
    }
    // One who can only be reached by push.
    await post([{ id: 'gus-0', type: 'signed.up', profileId: 'gus', attributes: { pushTokens: tokens }, properties: {} }]);
    await runtime.queue.idle();
    await post([...people, 'gus'].map((p) => ({ id: `tip-${p}`, type: 'tip.ready', profileId: p, properties: {} })));
    for (const p of people) {
      const run = await done('tips', p, `tip-${p}`);
      expect((run.output as { steps: { tip: { status: string; channel: string } } }).steps.tip).toMatchObject({ status: 'sent', channel: 'email' });
    }
    expect((await done('tips', 'gus', 'tip-gus')).output).toMatchObject({ steps: { tip: { status: 'sent', channel: 'push' } } });
    const report = (await (await api('/journeys/tips/report')).json()) as { steps: Record<string, { sent?: number; groups?: Record<string, { sent: number }> }> };
    expect(report.steps.tip).toMatchObject({ sent: 7, groups: { 'channel.email': { sent: 6 }, 'channel.push': { sent: 1 } } });
    // The report page shows them too (headless Chromium, as the report test drives it).
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    expect(existsSync(executablePath), `${executablePath}: install Debian's chromium package (.ci/run does)`).toBe(true);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${runtime.apiUrl}/report#journey=tips&key=${runtime.apiKey}`);
      await page.waitForSelector('body[data-ready="true"]');
      const rows = await page.$$eval('#groups tr[data-group]', (trs) => trs.map((r) => [r.getAttribute('data-group'), Number(r.getAttribute('data-sent'))]));
      expect(Object.fromEntries(rows)).toStrictEqual({ 'channel.email': 6, 'channel.push': 1 });
    } finally {
      await browser.close();
    }
    // In-app: the app's inbox.viewed names only the message; the inbox kept its tags, so the choice learns from it.
    await post([{ id: 'ivy-0', type: 'signed.up', profileId: 'ivy', attributes: { firstName: 'Ivy' }, properties: {} }, { id: 'nudge-ivy', type: 'nudge.ready', profileId: 'ivy', properties: {} }]);
    expect((await done('nudges', 'ivy', 'nudge-ivy')).output).toMatchObject({ steps: { nudge: { status: 'sent', channel: 'inApp' } } });
    const [message] = ((await (await api('/profiles/ivy/inbox')).json()) as { messages: Array<{ id: string }> }).messages;
    await post([{ id: 'ivy-viewed', type: 'inbox.viewed', profileId: 'ivy', properties: { messageId: message!.id } }]);
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    const stats = await new DynamoDbOfferStats(doc, LOCAL_TABLES.profiles).read(['choice:nudges:nudge:inApp'], '*');
    expect(stats.get('choice:nudges:nudge:inApp')).toMatchObject({ displays: 1, clicks: 1 });
    const nudges = (await (await api('/journeys/nudges/report')).json()) as { steps: Record<string, { groups?: Record<string, unknown> }> };
    expect(nudges.steps.nudge!.groups).toStrictEqual({ 'channel.inApp': { sent: 1, feedback: { viewed: 1 } } });

    // `jo report tips` shows the channels under the step.
    expect(formatJourneyReport(report as Parameters<typeof formatJourneyReport>[0])).toMatch(/\n\s+channel\.email\s+6\s/);
  });
});
