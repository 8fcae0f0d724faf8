import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionName } from '../../functions/domain/journey-start';
import { journeyReportSchema } from '../../functions/handlers/report-api/app';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, postEvents } from './helpers';

// Three journeys with a priority on cart.abandoned (one for VIPs only) and one without; journey caps in
// rules.json: one marketing journey at once, three entries a day.
let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/arbitration', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.001, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

const started = (journey: string, profile: string, eventId: string) => runtime.stepFunctions.run(executionName(journey, profile, eventId)) !== undefined;
const notEntered = async (journey: string) => {
  const r = await fetch(`${runtime.apiUrl}/journeys/${journey}/report`, { headers: { authorization: `Bearer ${runtime.apiKey}` } });
  return journeyReportSchema.parse(await r.json()).totals.notEntered;
};
const settle = async () => {
  await runtime.queue.idle();
  await runtime.bus.idle();
};

describe('arbitration, in the local runtime', () => {
  it('lets the highest priority of the qualifying journeys enter; the others count it; a journey without a priority is not arbitrated', async () => {
    await postEvents(runtime, { events: [
      { id: 'cart-1', type: 'cart.abandoned', profileId: 'vera', attributes: { tier: 'vip' }, properties: {} },
      { id: 'cart-2', type: 'cart.abandoned', profileId: 'rob', attributes: { tier: 'basic' }, properties: {} },
    ] });
    await settle();
    const entered = (profile: string, id: string) => ['cart-rescue-vip', 'cart-rescue', 'cart-survey', 'cart-log'].filter((j) => started(j, profile, id));
    // Vera qualifies for all three: the VIP rescue (30) enters. Rob is not a VIP: the rescue (20) enters.
    expect(entered('vera', 'cart-1')).toStrictEqual(['cart-rescue-vip', 'cart-log']);
    expect(entered('rob', 'cart-2')).toStrictEqual(['cart-rescue', 'cart-log']);
    const counted = async () => ({ rescue: (await notEntered('cart-rescue')).arbitration, survey: (await notEntered('cart-survey')).arbitration, vip: (await notEntered('cart-rescue-vip')).arbitration });
    expect(await eventually(async () => {
      const c = await counted();
      return c.survey === 2 && c;
    })).toStrictEqual({ rescue: 1, survey: 2, vip: undefined });

    // The same event delivered again: the same winner, nothing new, nothing counted twice.
    await postEvents(runtime, { events: [{ id: 'cart-1', type: 'cart.abandoned', profileId: 'vera', properties: {} }] });
    await runtime.bus.publish([{ source: 'journeys.ingest', detailType: 'cart.abandoned', detail: { event: { id: 'cart-1', type: 'cart.abandoned', profileId: 'vera', timestamp: new Date().toISOString(), properties: {} }, profile: { id: 'vera', attributes: { tier: 'vip' } } } }]);
    await settle();
    expect(entered('vera', 'cart-1')).toStrictEqual(['cart-rescue-vip', 'cart-log']);
    expect(await counted()).toStrictEqual({ rescue: 1, survey: 2, vip: undefined });
  });

  it('caps journeys: one marketing journey at once, three entries a day', async () => {
    await postEvents(runtime, { events: [{ id: 'a-1', type: 'promo.a', profileId: 'mia', properties: {} }] });
    await settle();
    await postEvents(runtime, { events: [{ id: 'b-1', type: 'promo.b', profileId: 'mia', properties: {} }] });
    await settle();
    expect([started('promo-a', 'mia', 'a-1'), started('promo-b', 'mia', 'b-1')]).toStrictEqual([true, false]);
    expect((await notEntered('promo-b'))['journey-cap']).toBe(1);

    for (const [i, type] of ['note.one', 'note.two', 'note.three'].entries()) {
      await postEvents(runtime, { events: [{ id: `n-${i}`, type, profileId: 'ned', properties: {} }] });
      await settle();
    }
    expect([started('note-1', 'ned', 'n-0'), started('note-2', 'ned', 'n-1'), started('note-3', 'ned', 'n-2')]).toStrictEqual([true, true, true]);
    await postEvents(runtime, { events: [{ id: 'n-3', type: 'promo.a', profileId: 'ned', properties: {} }] });
    await settle();
    expect(started('promo-a', 'ned', 'n-3')).toBe(false);
    expect((await notEntered('promo-a'))['journey-cap']).toBe(1);
  });
});
