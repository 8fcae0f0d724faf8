import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/domain/journey-start';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, postEvents } from './helpers';

// A journey that waits until two minutes from now, Tokyo time: at time scale 0.001, about 0.1 s.
const ZONE = 'Asia/Tokyo';
const inTwoMinutes = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + 120_000));

let runtime: LocalRuntime;
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'local-time-'));
  mkdirSync(join(root, 'journeys'));
  writeFileSync(
    join(root, 'journeys', 'morning.json'),
    JSON.stringify({ id: 'morning', name: 'Morning', entry: { event: 'signal' }, start: 'at', steps: { at: { type: 'wait', atLocalTime: inTwoMinutes, next: 'done' }, done: { type: 'end' } } }),
  );
  runtime = await startLocalRuntime({ workspace: root, apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.001, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

describe("wait until a local time, in the local runtime", () => {
  it("waits until that time of day in the profile's time zone", async () => {
    await postEvents(runtime, { id: 'sig-1', type: 'signal', profileId: 'tokyo', attributes: { timeZone: ZONE }, properties: {} });
    const run = await eventually(async () => {
      const e = runtime.stepFunctions.run(executionName('morning', 'tokyo', 'sig-1'));
      return e?.status === 'SUCCEEDED' && e;
    });
    expect(run.states).toStrictEqual(['at', 'at.wait', 'done']);
    const at = (run.output as { steps: { at: { at: string } } }).steps.at.at;
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at))).toBe(inTwoMinutes);
    expect(Date.parse(at) - Date.now()).toBeLessThan(121_000);
  });
});
