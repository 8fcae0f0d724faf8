import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import jstat from 'jstat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignReportSchema } from '../../functions/handlers/campaign-api/schema';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailbox, postEvents, scanTable } from './helpers';

// A campaign experiment end to end: 2,000 profiles, treatments 45/45 and a 10% holdout, conversions seeded
// after the send, the report's lift checked against a hand computation.
let runtime: LocalRuntime;
let doc: DynamoDBDocumentClient;
const PROFILES = 2000;
const id = (i: number) => `x-${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/campaigns', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, campaignPageSize: 500, logLevel: 'SILENT' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  // Profiles written straight into the table (the audience needs only their attributes).
  for (let start = 0; start < PROFILES; start += 25) {
    const items = Array.from({ length: 25 }, (_, k) => ({ pk: `P#${id(start + k)}`, sk: 'PROFILE', id: id(start + k), attributes: { email: `${id(start + k)}@example.com`, firstName: 'X', optedIn: true }, attributeTimes: {}, identities: [`userId:${id(start + k)}`], createdAt: '', updatedAt: '', version: 1 }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLES.profiles]: items.map((Item) => ({ PutRequest: { Item } })) } }));
  }
}, 60_000);
afterAll(async () => runtime?.stop());

const api = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await r.json()) as Record<string, any>;
};

describe('a campaign experiment, in the local runtime', () => {
  it('splits 45/45/10, sends the holdout nothing, and reports conversions, lift and confidence', async () => {
    const { runId } = await api('POST', '/campaigns/churn-save/trigger', {});
    const run = await eventually(async () => {
      const r = await api('GET', `/campaigns/churn-save/runs/${runId}`);
      return r.status === 'done' && r;
    }, 90_000);
    expect(run).toMatchObject({ targeted: PROFILES, sent: expect.any(Number), failed: 0 });
    const arms = run.arms as Record<string, { assigned: number; sent: number }>;
    expect(Object.keys(arms).sort()).toStrictEqual(['bold', 'gentle', 'holdout']);
    for (const [arm, share] of [['gentle', 45], ['bold', 45], ['holdout', 10]] as const) expect(Math.abs((arms[arm]!.assigned / PROFILES) * 100 - share)).toBeLessThanOrEqual(3);
    expect(arms.holdout!.sent).toBe(0);
    expect(run.sent).toBe(arms.gentle!.sent + arms.bold!.sent);

    // Who is in which arm: the run records the goal finds them by.
    const records = (await scanTable(doc, LOCAL_TABLES.profiles)).filter((r) => String(r.pk).startsWith('J#') && r.journeyId === 'campaign-churn-save') as Array<{ profileId: string; arm: string }>;
    expect(records).toHaveLength(PROFILES);
    const members = (step: string) => records.filter((r) => r.arm === step).map((r) => r.profileId).sort();
    const held = new Set(members('holdout'));
    expect(held.size).toBe(arms.holdout!.assigned);
    const mails = await mailbox(runtime);
    expect(mails.filter((m) => held.has(m.destination.to[0]!.split('@')[0]!))).toStrictEqual([]);
    expect(mails.filter((m) => /^We miss you/.test(m.subject))).toHaveLength(arms.gentle!.sent);
    expect(mails.filter((m) => /^Half price/.test(m.subject))).toHaveLength(arms.bold!.sent);

    // Seeded conversions: every 10th gentle, every 6th bold, every 20th held-out profile renews; one renewal
    // is delivered twice, and a profile outside the campaign renews too.
    const converting = [...members('treatment.gentle').filter((_, i) => i % 10 === 0), ...members('treatment.bold').filter((_, i) => i % 6 === 0), ...members('holdout').filter((_, i) => i % 20 === 0)];
    const events = converting.map((p) => ({ id: `renewal-${p}`, type: 'subscription.renewed', profileId: p, properties: {} }));
    events.push(events[0]!, { id: 'renewal-outsider', type: 'subscription.renewed', profileId: 'outsider', properties: {} });
    for (let i = 0; i < events.length; i += 100) expect((await postEvents(runtime, { events: events.slice(i, i + 100) })).status).toBe(202);
    const converted = { gentle: Math.ceil(members('treatment.gentle').length / 10), bold: Math.ceil(members('treatment.bold').length / 6), holdout: Math.ceil(held.size / 20) };

    const report = await eventually(async () => {
      const r = campaignReportSchema.parse(await api('GET', '/campaigns/churn-save/report'));
      return Object.entries(converted).every(([arm, n]) => r.experiment?.arms[arm]?.converted === n) && r;
    }, 60_000);
    const experiment = report.experiment!;
    expect(experiment.control).toBe('holdout');
    // By hand: rates, the Wald interval of each difference with the holdout, the lift, the pooled z-test.
    const n = { gentle: arms.gentle!.assigned, bold: arms.bold!.assigned, holdout: arms.holdout!.assigned };
    const p0 = converted.holdout / n.holdout;
    for (const arm of ['gentle', 'bold'] as const) {
      const p1 = converted[arm] / n[arm];
      const se = Math.sqrt((p1 * (1 - p1)) / n[arm] + (p0 * (1 - p0)) / n.holdout);
      const pooled = (converted[arm] + converted.holdout) / (n[arm] + n.holdout);
      const zStat = (p1 - p0) / Math.sqrt(pooled * (1 - pooled) * (1 / n[arm] + 1 / n.holdout));
      const got = experiment.arms[arm]!;
      expect(got.conversionRate).toBeCloseTo(p1, 4);
      expect(got.difference!.value).toBeCloseTo(p1 - p0, 4);
      expect(got.difference!.interval[0]).toBeCloseTo(p1 - p0 - 1.959964 * se, 4);
      expect(got.difference!.interval[1]).toBeCloseTo(p1 - p0 + 1.959964 * se, 4);
      expect(got.lift!.value).toBeCloseTo((p1 - p0) / p0, 3);
      expect(got.pValue).toBeCloseTo(2 * (1 - jstat.normal.cdf(Math.abs(zStat), 0, 1)), 4);
    }
    // Bold converts best by far: the posterior says so.
    expect(experiment.arms.bold!.probabilityBest).toBeGreaterThan(0.95);
    expect(Object.values(experiment.arms).reduce((s, a) => s + a.probabilityBest, 0)).toBeCloseTo(1, 3);

    // The report page shows the same arms (headless Chromium).
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    expect(existsSync(executablePath), `${executablePath}: install Debian's chromium package (.ci/run does)`).toBe(true);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${runtime.apiUrl}/report#campaign=churn-save&key=${runtime.apiKey}`);
      await page.waitForSelector('body[data-ready="true"]');
      const shown = await page.$$eval('#experiment tr[data-arm]', (trs) => trs.map((r) => [r.getAttribute('data-arm'), [Number(r.getAttribute('data-assigned')), Number(r.getAttribute('data-converted')), Number(r.getAttribute('data-best'))]]));
      expect(Object.fromEntries(shown)).toStrictEqual(Object.fromEntries(Object.entries(experiment.arms).map(([id, a]) => [id, [a.assigned, a.converted, a.probabilityBest]])));
      expect(await page.textContent('[data-total="sent"] b')).toBe(String(report.totals.sent));
    } finally {
      await browser.close();
    }

    // jo report --campaign prints the same arms.
    const out = await new Promise<string>((resolve, reject) =>
      execFile('npx', ['tsx', 'cli/jo.ts', 'report', '--campaign', 'churn-save', '--api', runtime.apiUrl, '--key', runtime.apiKey], (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))),
    );
    const row = (arm: string) => out.split('\n').find((l) => l.trimStart().startsWith(`${arm} `))!.trim().split(/\s{2,}/);
    expect(row('bold').slice(0, 3)).toStrictEqual(['bold', String(arms.bold!.assigned), String(arms.bold!.sent)]);
    expect(row('bold')).toContain(`${(experiment.arms.bold!.lift!.value * 100).toFixed(2)}%`);
    expect(row('holdout').slice(0, 3)).toStrictEqual(['holdout', String(arms.holdout!.assigned), '0']);
  }, 240_000);
});
