import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbWaitingStore } from '../../functions/adapters/dynamodb-waiting';
import { DynamoDbEventStore } from '../../functions/adapters/dynamodb-events';
import { DynamoDbProfileStore } from '../../functions/adapters/dynamodb-profiles';
import { createProfileHandler } from '../../functions/handlers/profile/app';
import { createJumpHandler } from '../../functions/handlers/jump/app';
import type { JumpTask } from '../../functions/domain/jump';
import { systemClock } from '../../functions/ports';
import { context } from '../unit/helpers';
import type { CapturedPush, CapturedSms } from '../../local/messaging';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES } from '../../local/runtime';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { executionName } from '../../functions/domain/journey-start';
import { eventually, postEvents } from './helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/steps', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.001, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

const execution = (journey: string, profile: string, eventId: string) =>
  runtime.stepFunctions.run(executionName(journey, profile, eventId));

const pathOf = (profile: string, eventId: string) => {
  const states = runtime.stepFunctions.run(executionName('ab-test', profile, eventId))!.states;
  return states.includes('a') ? 'a' : states.includes('b') ? 'b' : states.includes('ab.holdout') ? 'holdout' : 'none';
};

describe('split over 200 profiles, in the local runtime', () => {
  it('sends about the configured share down each path (50 / 30 / 20 holdout), the same path each time', async () => {
    // The smallest volume that shows the shares (the hash is deterministic: 104/61/35 here).
    const N = 200;
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
  }, 120_000); // 15 s quiet, 18 s beside a second npm test: 3.4x from the default 60 s was too close
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
    const run = (profile: string, id: string) => runtime.stepFunctions.run(executionName('delivery-followup', profile, id))!;
    expect(run('w1', 'ship-1')).toMatchObject({ status: 'SUCCEEDED', states: ['until-delivered', 'until-delivered.wait', 'done'] });
    expect(run('w2', 'ship-2')).toMatchObject({ status: 'SUCCEEDED', states: ['until-delivered', 'done'] });
  });
});

describe('waitForEvent, in the local runtime (task tokens bridged)', () => {
  // PT30M at time scale 0.001 is 1.8 s.
  const execution = (profile: string, id: string) =>
    runtime.stepFunctions.run(executionName('cart-reminder', profile, id));
  const waitingFor = async (profile: string) => {
    const store = new DynamoDbWaitingStore(
      DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })),
      LOCAL_TABLES.profiles,
    );
    await eventually(async () => (await store.forEvent(profile, 'order.placed')).length === 1);
  };
  const abandon = (profile: string) => postEvents(runtime, { id: `cart-${profile}`, type: 'cart.abandoned', profileId: profile, properties: {} });
  const order = (profile: string, id: string, total: number) => postEvents(runtime, { id, type: 'order.placed', profileId: profile, properties: { total } });

  it('resumes on the awaited event, with the event in the state data; a second matching event changes nothing', async () => {
    await abandon('buyer');
    await waitingFor('buyer');
    await order('buyer', 'order-1', 42);
    await order('buyer', 'order-2', 50);
    await runtime.idle();
    const run = execution('buyer', 'cart-buyer')!;
    expect(run).toMatchObject({ status: 'SUCCEEDED', states: ['wait-order', 'bought'] });
    expect((run.output as { received: Record<string, unknown> }).received['wait-order']).toMatchObject({ id: 'order-1', type: 'order.placed', properties: { total: 42 } });
  });

  it('takes the timeout path without the event, and when the event does not match the condition', async () => {
    await abandon('browser');
    await abandon('zero');
    await waitingFor('zero');
    await order('zero', 'order-0', 0);
    await runtime.idle();
    expect(execution('browser', 'cart-browser')).toMatchObject({ status: 'SUCCEEDED', states: ['wait-order', 'remind'] });
    expect(execution('zero', 'cart-zero')).toMatchObject({ status: 'SUCCEEDED', states: ['wait-order', 'remind'] });
  });
});

describe('waitForEvent since entry, in the local runtime', () => {
  // "Did they click?" asked after a wait (PT30M, 1.8 s here): a click during the wait counts; one before entry does not.
  const run = (profile: string) => runtime.stepFunctions.run(executionName('promo-click', profile, `promo-${profile}`));
  const send = (profile: string) => postEvents(runtime, { id: `promo-${profile}`, type: 'promo.sent', profileId: profile, properties: {} });
  const click = (profile: string, promo: string) => postEvents(runtime, { id: `click-${profile}-${promo}`, type: 'promo.clicked', profileId: profile, properties: { promo } });

  it('counts a matching event sent during the wait before it, once; not one of another promotion, nor one before entry', async () => {
    await click('early', 'spring');
    await runtime.idle();
    await Promise.all(['clicker', 'other', 'early'].map(send));
    await eventually(async () => ['clicker', 'other', 'early'].every((p) => run(p) !== undefined));
    await click('clicker', 'spring');
    await click('other', 'winter');
    await runtime.idle();
    expect(run('clicker')).toMatchObject({ status: 'SUCCEEDED' });
    expect(run('clicker')!.states.filter((s) => s === 'engaged')).toHaveLength(1);
    expect(run('clicker')!.states).not.toContain('ignored');
    expect((run('clicker')!.output as { received: Record<string, unknown> }).received.clicked).toMatchObject({ id: 'click-clicker-spring', type: 'promo.clicked', properties: { promo: 'spring' } });
    for (const p of ['other', 'early']) {
      expect(run(p), p).toMatchObject({ status: 'SUCCEEDED' });
      expect(run(p)!.states, p).toContain('ignored');
      expect(run(p)!.states, p).not.toContain('engaged');
    }
  });
});

describe('updateProfile, in the local runtime', () => {
  it('increments, sets from the event, unsets; the condition after it sees the change; a retried task applies once', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    const profiles = new DynamoDbProfileStore(doc, LOCAL_TABLES.profiles);
    const purchase = (id: string, orderId: string) => postEvents(runtime, { id, type: 'purchase.made', profileId: 'loyal', attributes: { cartId: 'cart-1' }, properties: { orderId } });
    await purchase('buy-1', 'A-1');
    await runtime.idle();
    expect((await profiles.get('loyal'))!.attributes).toStrictEqual({ purchases: 1, lastOrderId: 'A-1', tier: 'member' });
    expect(execution('loyalty', 'loyal', 'buy-1')).toMatchObject({ status: 'SUCCEEDED', states: ['count', 'vip-check.profile', 'vip-check', 'done'] });

    await purchase('buy-2', 'A-2');
    await runtime.idle();
    expect((await profiles.get('loyal'))!.attributes).toStrictEqual({ purchases: 2, lastOrderId: 'A-2', tier: 'vip' });
    expect(execution('loyalty', 'loyal', 'buy-2')!.states).toStrictEqual(['count', 'vip-check.profile', 'vip-check', 'vip', 'done']);

    // The task of buy-2's count step, delivered again: nothing changes.
    const profileFn = createProfileHandler({ profiles, events: new DynamoDbEventStore(doc, LOCAL_TABLES.profiles), learned: { pattern: async () => undefined }, clock: systemClock });
    const task = { operation: 'update' as const, stepId: 'count', runId: execution('loyalty', 'loyal', 'buy-2')!.name, profileId: 'loyal', event: {}, steps: {}, increment: { purchases: 1 } };
    await profileFn(task, context);
    expect((await profiles.get('loyal'))!.attributes.purchases).toBe(2);
  });
});

describe('jump, in the local runtime', () => {
  it('enters the profile into the other journey once, however often the jump task runs', async () => {
    await postEvents(runtime, { id: 'offer-1', type: 'upsell.offered', profileId: 'jumper', properties: {} });
    await runtime.idle();
    expect(execution('upsell', 'jumper', 'offer-1')).toMatchObject({ status: 'SUCCEEDED', states: ['to-ab-test', 'done'] });
    const entered = () => [...runtime.stepFunctions.executions.values()].filter((e) => e.stateMachineArn.endsWith(':ab-test') && JSON.stringify(e.output ?? '').includes('"profileId":"jumper"'));
    expect(entered()).toHaveLength(1);
    // idle() waits for what the jump started too: the target run has finished.
    expect(entered()[0]!.status).toBe('SUCCEEDED');
    expect((entered()[0]!.output as { event: { id: string } }).event.id).toMatch(/^jump-[0-9a-f]{32}$/);

    // The jump task of that execution, delivered again.
    const jumpFn = createJumpHandler({ bus: runtime.bus });
    const upsell = execution('upsell', 'jumper', 'offer-1')!;
    const input = upsell.output as { event: JumpTask['event']; profile: JumpTask['profile'] };
    await jumpFn({ stepId: 'to-ab-test', target: 'ab-test', runId: upsell.name, event: input.event, profile: input.profile, steps: {} }, context);
    await runtime.idle();
    expect(entered()).toHaveLength(1);
  });
});

describe('push and sms, in the local runtime (the End User Messaging stand-in)', () => {
  it("pushes to the profile's live devices and texts its phone; no phone, no text, and it is recorded", async () => {
    const restocked = (profileId: string, id: string, attributes: Record<string, unknown>) =>
      postEvents(runtime, { id, type: 'item.restocked', profileId, attributes: { firstName: 'Ada', ...attributes }, properties: { item: 'The blue sweater', sku: 'SW-42' } });
    await restocked('mobile', 'restock-1', {
      phone: '+447700900123',
      pushTokens: [
        { token: 'tok-ios-1', platform: 'APNS' },
        { token: 'invalid-old-phone', platform: 'GCM' },
      ],
    });
    await restocked('pushonly', 'restock-2', { pushTokens: [{ token: 'tok-android-2', platform: 'GCM' }] });
    await runtime.idle();
    const store = (await (await fetch(`${runtime.messagingUrl}/store`)).json()) as { push: CapturedPush[]; sms: CapturedSms[] };
    expect(store.push.map((p) => [p.to, p.title, p.body, p.url, p.context])).toStrictEqual([
      [[{ token: 'tok-ios-1', platform: 'APNS' }], 'The blue sweater is back', 'In your size, Ada', 'https://example.com/p/SW-42', { journey: 'back-in-stock', step: 'notify', locale: 'default' }],
      [[{ token: 'tok-android-2', platform: 'GCM' }], 'The blue sweater is back', 'In your size, Ada', 'https://example.com/p/SW-42', { journey: 'back-in-stock', step: 'notify', locale: 'default' }],
    ]);
    expect(store.sms.map((s) => [s.to, s.body])).toStrictEqual([['+447700900123', 'The blue sweater is back in stock: https://example.com/p/SW-42']]);
    const steps = (profile: string, id: string) => (execution('back-in-stock', profile, id)!.output as { steps: Record<string, unknown> }).steps;
    expect(steps('mobile', 'restock-1')).toStrictEqual({ notify: { visit: 1, status: 'sent' }, text: { visit: 1, status: 'sent' } });
    expect(steps('pushonly', 'restock-2')).toStrictEqual({ notify: { visit: 1, status: 'sent' }, text: { visit: 1, status: 'skipped' } });
  });
});
