import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { executionName } from '../../functions/domain/journey-start';
import { postEvents } from './helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/steps', apiPort: 0, sesPort: 0, dynamoPort: 0, timeScale: 0.001, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

const pathOf = (profile: string, eventId: string) => {
  const states = [...runtime.stepFunctions.executions.values()].find((e) => e.name === executionName('ab-test', profile, eventId))!.states;
  return states.includes('a') ? 'a' : states.includes('b') ? 'b' : states.includes('ab.holdout') ? 'holdout' : 'none';
};

describe('split over 1,000 profiles, in the local runtime', () => {
  it('sends about the configured share down each path (50 / 30 / 20 holdout), the same path each time', async () => {
    const N = 1000;
    for (let batch = 0; batch < N / 100; batch += 1) {
      const events = Array.from({ length: 100 }, (_, i) => ({ id: `e-${batch * 100 + i}`, type: 'test.split', profileId: `p-${batch * 100 + i}`, properties: {} }));
      expect((await postEvents(runtime, { events })).status).toBe(202);
    }
    await runtime.idle();
    const counts = { a: 0, b: 0, holdout: 0, none: 0 };
    for (let i = 0; i < N; i += 1) counts[pathOf(`p-${i}`, `e-${i}`)] += 1;
    expect(counts.none).toBe(0);
    // The hash is deterministic, so these counts are fixed; the bounds say what "about" means (±4 points).
    expect(Math.abs(counts.a / N - 0.5)).toBeLessThan(0.04);
    expect(Math.abs(counts.b / N - 0.3)).toBeLessThan(0.04);
    expect(Math.abs(counts.holdout / N - 0.2)).toBeLessThan(0.04);

    // A second event for the same profiles takes them down the same paths.
    const again = Array.from({ length: 50 }, (_, i) => ({ id: `again-${i}`, type: 'test.split', profileId: `p-${i}`, properties: {} }));
    await postEvents(runtime, { events: again });
    await runtime.idle();
    for (let i = 0; i < 50; i += 1) expect(pathOf(`p-${i}`, `again-${i}`)).toBe(pathOf(`p-${i}`, `e-${i}`));
  });
});

describe('wait until a timestamp in the event, in the local runtime', () => {
  it('waits until the delivery date when the event has one, and goes straight on when not', async () => {
    const deliveryDate = new Date(Date.now() + 20_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await postEvents(runtime, {
      events: [
        { id: 'ship-1', type: 'order.shipped', profileId: 'w1', properties: { deliveryDate } },
        { id: 'ship-2', type: 'order.shipped', profileId: 'w2', properties: {} },
      ],
    });
    await runtime.idle();
    const run = (profile: string, id: string) => [...runtime.stepFunctions.executions.values()].find((e) => e.name === executionName('delivery-followup', profile, id))!;
    expect(run('w1', 'ship-1')).toMatchObject({ status: 'SUCCEEDED', states: ['until-delivered', 'until-delivered.wait', 'done'] });
    expect(run('w2', 'ship-2')).toMatchObject({ status: 'SUCCEEDED', states: ['until-delivered', 'done'] });
  });
});
