import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPinpointCommand, importProfilesCommand } from '../../cli/import';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { IMPORTED_AT, writeRetailExport } from '../fixtures/pinpoint/retailer';
import { eventually, mailbox } from './helpers';

// The retailer's export imported and run: its weekly campaign, "Mondays 18:00 recipient local time" in Pinpoint
// (WEEKLY, IsLocalTime, Timezone UTC-05, StartTime 23:00Z), sends each recipient on Monday at 18:00 where they are,
// and none is held back by the workspace's quiet hours (22:00-07:00), which the import also carried.

const root = mkdtempSync(join(tmpdir(), 'pinpoint-retail-'));
const workspace = join(root, 'workspace');
let runtime: LocalRuntime;

beforeAll(async () => {
  writeRetailExport(join(root, 'export'));
  expect(importPinpointCommand(join(root, 'export'), workspace, { now: IMPORTED_AT }).problems).toStrictEqual([]);
  // A day passes in under a second; the pace of sends stays real time.
  runtime = await startLocalRuntime({ workspace, apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, schedules: false, timeScale: 0.00001, logLevel: 'SILENT' });
  expect(await importProfilesCommand({ file: join(workspace, 'profiles.jsonl'), api: runtime.apiUrl, key: runtime.apiKey })).toMatchObject({ accepted: 8, errors: [] });
  await runtime.idle();
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(root, { recursive: true, force: true });
});

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await response.json()) as Record<string, any>;
};
const clock = (at: string, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));

describe('an imported Pinpoint local-time campaign, in the local runtime', () => {
  it('sends each recipient on Monday at 18:00 where they are (five time zones), none skipped for quiet hours', async () => {
    expect(JSON.parse(readFileSync(join(workspace, 'rules.json'), 'utf8'))).toMatchObject({ quietHours: { start: '22:00', end: '07:00' } });
    // Triggered now, as its schedule would fire: each recipient's next Monday 18:00 (a week is about 6 s here).
    const { runId } = await api('POST', '/campaigns/weekly-deals/trigger', {});
    const done = await eventually(async () => {
      const r = await api('GET', `/campaigns/weekly-deals/runs/${runId as string}`);
      return ['done', 'failed', 'cancelled'].includes(r.status) && r;
    }, 45_000);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'done', targeted: 5, sent: 5, failed: 0 });
    expect(done.skipped).toStrictEqual({});
    // Each send time is Monday 18:00 in exactly one recipient's zone, every zone has its own, within a week.
    const zones = ['Pacific/Kiritimati', 'Asia/Tokyo', 'Europe/Paris', 'America/New_York', 'Pacific/Honolulu'];
    const matched = (done.sendTimes as string[]).map((at) => zones.filter((zone) => clock(at, zone) === 'Monday 18:00'));
    for (const m of matched) expect(m).toHaveLength(1);
    expect(matched.flat().sort()).toStrictEqual([...zones].sort());
    for (const at of done.sendTimes as string[]) expect(Date.parse(at) - Date.now()).toBeLessThan(8 * 86_400_000);
    await runtime.idle();
    const to = (await mailbox(runtime)).filter((m) => /^Deals for/.test(m.subject)).map((m) => m.destination.to[0]).sort();
    expect(to).toStrictEqual(['ana@example.com', 'hono@example.com', 'kiri@example.com', 'paris@example.com', 'tokyo@example.com']);
  });
});
