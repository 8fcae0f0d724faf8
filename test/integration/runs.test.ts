import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRunStore } from '../../functions/adapters/dynamodb-runs';
import { executionName } from '../../functions/domain/journey-start';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, postEvents } from './helpers';

// Journeys whose profiles sit in a 3-day wait (about 4 minutes at this scale): long enough to act on them.
let runtime: LocalRuntime;
let runs: DynamoDbRunStore;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/runs', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.001, logLevel: 'SILENT' });
  runs = new DynamoDbRunStore(DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })), LOCAL_TABLES.profiles);
});
afterAll(async () => runtime?.stop());

let n = 0;
const send = (type: string, profileId: string, properties: Record<string, unknown> = {}) => {
  n += 1;
  const id = `${type}-${profileId}-${n}`;
  return postEvents(runtime, { id, type, profileId, properties }).then(() => id);
};
const execution = (journey: string, profile: string, eventId: string) =>
  runtime.stepFunctions.run(executionName(journey, profile, eventId));
const statusOf = async (journey: string, profile: string, eventId: string, status: string) =>
  eventually(async () => execution(journey, profile, eventId)?.status === status && execution(journey, profile, eventId));
const runOf = async (profile: string, journey: string) => (await runs.runs(profile, journey))[0];
// Stopped: the run record says so in either mode (an Express run parked has no execution to abort).
const stopped = async (journey: string, profile: string, correlation?: string) =>
  eventually(async () => (await runs.runs(profile, journey, correlation))[0]?.outcome === 'ABORTED');

describe('exitOn', () => {
  it('ends a profile waiting in a 3-day wait, and closes its run', async () => {
    const entered = await send('trial.started', 'quitter');
    await statusOf('trial', 'quitter', entered, 'RUNNING');
    await send('trial.cancelled', 'quitter');
    await stopped('trial', 'quitter');
    expect(execution('trial', 'quitter', entered)!.states).toStrictEqual(['long-wait']);
    await eventually(async () => (await runOf('quitter', 'trial'))?.status === 'ended');
    expect(await runOf('quitter', 'trial')).toMatchObject({ status: 'ended', outcome: 'ABORTED' });
  });
});

describe('a run that ends while waiting for an event', () => {
  it('leaves no wait behind: the data export lists none', async () => {
    const entered = await send('card.issued', 'holder');
    await statusOf('activation', 'holder', entered, 'RUNNING');
    const exported = async () => (await (await fetch(`${runtime.apiUrl}/profiles/holder/export`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { waiting: unknown[] };
    await eventually(async () => (await exported()).waiting.length === 1);
    // Still waiting (a 30-day timeout, past Node's longest timer, once timed the task out at once).
    expect(execution('activation', 'holder', entered)!.states.at(-1)).toBe('activated');
    await send('card.cancelled', 'holder');
    await stopped('activation', 'holder');
    await eventually(async () => (await runOf('holder', 'activation'))?.status === 'ended');
    await runtime.idle();
    expect((await exported()).waiting).toStrictEqual([]);
  });
});

describe('goal', () => {
  it('is counted once within its window, and with exit: true ends the run', async () => {
    const entered = await send('trial.started', 'buyer');
    await statusOf('trial', 'buyer', entered, 'RUNNING');
    await send('subscription.bought', 'buyer');
    await stopped('trial', 'buyer');
    const converted = (await runOf('buyer', 'trial'))!.convertedAt;
    expect(converted).toEqual(expect.any(String));
    await send('subscription.bought', 'buyer');
    await runtime.bus.idle();
    expect((await runOf('buyer', 'trial'))!.convertedAt).toBe(converted);
  });
});

describe('re-entry', () => {
  it('by default: not while in the journey, again once the run ended', async () => {
    const first = await send('trial.started', 'again');
    await statusOf('trial', 'again', first, 'RUNNING');
    const second = await send('trial.started', 'again');
    await runtime.bus.idle();
    expect(execution('trial', 'again', second)).toBeUndefined();
    await send('trial.cancelled', 'again');
    await eventually(async () => (await runOf('again', 'trial'))?.status === 'ended');
    const third = await send('trial.started', 'again');
    await statusOf('trial', 'again', third, 'RUNNING');
  });

  it('per correlation value: one run per order at once; an exit event with the value ends that run only; never again for it', async () => {
    const a = await send('order.placed', 'shopper', { orderId: 'A' });
    const b = await send('order.placed', 'shopper', { orderId: 'B' });
    await statusOf('per-order', 'shopper', a, 'RUNNING');
    await statusOf('per-order', 'shopper', b, 'RUNNING');
    await send('order.cancelled', 'shopper', { orderId: 'A' });
    await stopped('per-order', 'shopper', 'A');
    expect(execution('per-order', 'shopper', b)!.status).toBe('RUNNING');
    await eventually(async () => (await runs.runs('shopper', 'per-order', 'A'))[0]?.status === 'ended');
    // reentry: never, for order A.
    const again = await send('order.placed', 'shopper', { orderId: 'A' });
    await runtime.bus.idle();
    expect(execution('per-order', 'shopper', again)).toBeUndefined();
    // An event without an orderId enters nothing.
    const none = await send('order.placed', 'shopper');
    await runtime.bus.idle();
    expect(execution('per-order', 'shopper', none)).toBeUndefined();
    // Neither is silent: the report counts each such event at the journey's entry, by reason.
    await send('order.placed', 'shopper');
    await runtime.bus.idle();
    const report = async (journey: string) => (await (await fetch(`${runtime.apiUrl}/journeys/${journey}/report`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { totals: { notEntered: Record<string, number> } };
    expect((await report('per-order')).totals.notEntered).toStrictEqual({ 'no-reentry': 1, 'no-correlation': 2 });
    expect((await report('trial')).totals.notEntered).toStrictEqual({ 'in-journey': 1 });
  });
});
