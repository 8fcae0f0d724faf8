import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/domain/journey-start';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { WorkspaceError } from '../../workspace/load';
import { eventually, postEvents } from './helpers';

let runtime: LocalRuntime;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'versions-'));
  cpSync('test/fixtures/workspaces/runs', root, { recursive: true });
  runtime = await startLocalRuntime({ workspace: root, apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.001, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

const execution = (profile: string, id: string) => runtime.stepFunctions.run(executionName('trial', profile, id));

describe('a journey edited mid-run, in the local runtime', () => {
  it('leaves profiles already inside on the version they entered; new entries get the new version', async () => {
    await postEvents(runtime, { id: 'early', type: 'trial.started', profileId: 'early-bird', properties: {} });
    const early = await eventually(async () => execution('early-bird', 'early')?.status === 'RUNNING' && execution('early-bird', 'early'));
    const before = runtime.workspace.journeys.find((j) => j.journey.id === 'trial')!.version;
    expect(early.version).toBe(before);

    // The 3-day wait becomes a 1-second one.
    const file = join(root, 'journeys', 'trial.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"for": "P3D"', '"for": "PT1S"'));
    expect(await runtime.reload()).toStrictEqual({ changed: ['trial'] });
    const after = runtime.workspace.journeys.find((j) => j.journey.id === 'trial')!.version;
    expect(after).not.toBe(before);

    await postEvents(runtime, { id: 'late', type: 'trial.started', profileId: 'latecomer', properties: {} });
    const late = await eventually(async () => execution('latecomer', 'late')?.status === 'SUCCEEDED' && execution('latecomer', 'late'));
    expect(late.version).toBe(after);
    // The early profile is still in its 3-day wait, on the old version.
    expect(execution('early-bird', 'early')).toMatchObject({ status: 'RUNNING', version: before });
  });

  it('refuses a reload with mistakes and keeps the journeys as they were', async () => {
    const file = join(root, 'journeys', 'trial.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('"next": "done"', '"next": "gone"'));
    const current = runtime.workspace;
    await expect(runtime.reload()).rejects.toBeInstanceOf(WorkspaceError);
    expect(runtime.workspace).toBe(current);
    writeFileSync(file, good);
  });
});
