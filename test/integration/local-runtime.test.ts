import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, LOCAL_TABLES, type LocalRuntime, READ_API_KEY } from '../../local/runtime';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { createSendHandler } from '../../functions/handlers/send/app';
import { sendDeps } from '../../functions/wiring/send';
import { testPlatform } from '../platform';
import { executionName } from '../../functions/domain/journey-start';
import { eventually, mailTo, postEvents } from './helpers';
import { context, silentLog } from '../unit/helpers';

// The local runtime as `npm start` runs it, on free ports, with waits scaled so that P1D passes in ~1.7 s.
const TIME_SCALE = 0.00002;
let runtime: LocalRuntime;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'examples/store', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: TIME_SCALE, logLevel: 'SILENT' });
  dynamo = new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});
afterAll(async () => {
  dynamo?.destroy();
  await runtime?.stop();
});

const unique = () => randomUUID().slice(0, 8);
const delivered = (profile: string, extra: { delayed?: boolean; eventId?: string } = {}) => ({
  id: extra.eventId ?? `evt-${unique()}`,
  type: 'order.delivered',
  profileId: profile,
  attributes: { email: `${profile}@example.com`, firstName: 'Ada' },
  properties: { orderId: 'A-1001', delayed: extra.delayed ?? false },
});
const itemCount = async () => {
  let n = 0;
  for (const TableName of Object.values(LOCAL_TABLES)) n += (await dynamo.send(new ScanCommand({ TableName, Select: 'COUNT' }))).Count ?? 0;
  return n;
};

describe('local runtime: post-purchase journey', () => {
  it('an event sent to the API makes the journey run and the rendered email arrive', async () => {
    const profile = `ada-${unique()}`;
    const response = await postEvents(runtime, delivered(profile));
    expect(response.status).toBe(202);
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, `${profile}@example.com`);
      return m.length > 0 && m;
    });
    expect(mail).toMatchObject({
      from: 'no-reply@example.com',
      subject: 'Ada, how was your order A-1001?',
      body: { text: expect.stringContaining('https://example.com/survey?order=A-1001') },
    });
    expect(mail!.body.html).toContain('<b>A-1001</b>');
  });

  it('the same event id again is a duplicate and sends nothing more', async () => {
    const profile = `bob-${unique()}`;
    const event = delivered(profile);
    await postEvents(runtime, event);
    await eventually(async () => (await mailTo(runtime, `${profile}@example.com`)).length === 1);
    const again = await postEvents(runtime, event);
    expect(again).toStrictEqual({ status: 202, body: { accepted: [], duplicates: [event.id] } });
    await runtime.idle();
    expect(await mailTo(runtime, `${profile}@example.com`)).toHaveLength(1);
  });

  it('a delayed delivery gets the apology instead of the survey', async () => {
    const profile = `cy-${unique()}`;
    await postEvents(runtime, delivered(profile, { delayed: true }));
    const mails = await eventually(async () => {
      const m = await mailTo(runtime, `${profile}@example.com`);
      return m.length > 0 && m;
    });
    await runtime.idle();
    expect(mails.map((m) => m.subject)).toStrictEqual(['Sorry your order A-1001 was late']);
  });

  it('runs the executions to the end: the 3-day wait passes when scaled', async () => {
    const profile = `di-${unique()}`;
    const event = delivered(profile);
    await postEvents(runtime, event);
    await runtime.idle();
    const execution = runtime.stepFunctions.run(executionName('post-purchase', profile, event.id));
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    expect((execution!.output as { steps: unknown }).steps).toStrictEqual({ survey: { visit: 1, status: 'sent' } });
  });
});

describe('local runtime: bad input', () => {
  it('a malformed event gets 400 naming the field, and nothing is written', async () => {
    const before = await itemCount();
    const response = await postEvents(runtime, { events: [delivered('eve'), { ...delivered('eve'), type: 'order/delivered', profileId: 42 }] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'ValidationError',
      issues: [
        { path: 'events[1].type', message: expect.any(String) },
        { path: 'events[1].profileId', message: expect.any(String) },
      ],
    });
    await runtime.idle();
    expect(await itemCount()).toBe(before);
    expect(await mailTo(runtime, 'eve@example.com')).toHaveLength(0);
  });

  it('no route without a key: 401 with none, 403 with a wrong one', async () => {
    expect((await postEvents(runtime, delivered('x'), null)).status).toBe(401);
    expect((await postEvents(runtime, delivered('x'), 'not-the-key')).status).toBe(403);
  });

  it('the read-only key (the report page\'s) reads reports and profiles, and can neither write nor erase', async () => {
    const call = (method: string, path: string) => fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${READ_API_KEY}` } });
    expect((await call('GET', '/journeys/post-purchase/report')).status).toBe(200);
    expect((await call('GET', '/profiles/nobody')).status).toBe(404); // allowed through; no such profile
    expect((await postEvents(runtime, delivered('read-only'), READ_API_KEY)).status).toBe(403);
    expect((await call('DELETE', '/profiles/nobody')).status).toBe(403);
    expect((await call('GET', '/profiles/nobody/export')).status).toBe(403);
  });
});

describe('local runtime: welcome journey (entry condition, wait, profile reloaded after the wait)', () => {
  const signUp = (profile: string, attributes: Record<string, unknown>) => ({
    id: `evt-${unique()}`,
    type: 'customer.signed_up',
    profileId: profile,
    attributes: { firstName: 'Fay', ...attributes },
    properties: {},
  });

  it('does not enter a profile with no email (entry condition)', async () => {
    const profile = `noemail-${unique()}`;
    const event = signUp(profile, { plan: 'free' });
    expect((await postEvents(runtime, event)).status).toBe(202);
    await runtime.idle();
    const names = [...runtime.stepFunctions.executions.values()].map((e) => e.name);
    expect(names).not.toContain(executionName('welcome', profile, event.id));
    // The control: the same event with an email does start it.
    const withEmail = signUp(`${profile}-b`, { plan: 'free', email: `${profile}-b@example.com` });
    await postEvents(runtime, withEmail);
    await runtime.idle();
    expect([...runtime.stepFunctions.executions.values()].map((e) => e.name)).toContain(executionName('welcome', `${profile}-b`, withEmail.id));
  });

  it('nudges after a day a profile still on the free plan, and not one that upgraded meanwhile', async () => {
    const stays = `free-${unique()}`;
    const upgrades = `plus-${unique()}`;
    await postEvents(runtime, { events: [signUp(stays, { email: `${stays}@example.com`, plan: 'free' }), signUp(upgrades, { email: `${upgrades}@example.com`, plan: 'free' })] });
    await eventually(async () => (await mailTo(runtime, `${upgrades}@example.com`)).length === 1);
    // While the wait runs, the profile changes; the condition after the wait must see it.
    await postEvents(runtime, { id: `evt-${unique()}`, type: 'customer.plan_changed', profileId: upgrades, attributes: { plan: 'plus' }, properties: {} });
    await runtime.idle();
    expect((await mailTo(runtime, `${stays}@example.com`)).map((m) => m.subject)).toStrictEqual(['Welcome to the store, Fay', 'Fay, a month of Plus on us']);
    expect((await mailTo(runtime, `${upgrades}@example.com`)).map((m) => m.subject)).toStrictEqual(['Welcome to the store, Fay']);
  });
});

describe('send ledger against the emulators', () => {
  it('attempts of one task at once and after: exactly one email, the others told to retry', async () => {
    const send = createSendHandler(
      sendDeps(
        testPlatform({
          settings: { PROFILES_TABLE: LOCAL_TABLES.profiles, SEND_LEDGER_TABLE: LOCAL_TABLES.ledger, FROM_ADDRESS: 'no-reply@example.com', CONFIGURATION_SET: undefined, PINPOINT_APPLICATION_ID: 'local' },
          workspace: { templates: runtime.workspace.templates },
          endpoint: (Class) => ({ DynamoDBClient: runtime.dynamoUrl, SESv2Client: runtime.mailUrl })[Class.name] ?? runtime.messagingUrl,
        }),
        silentLog,
      ),
    );
    const profile = `gus-${unique()}`;
    await postEvents(runtime, { id: `evt-${unique()}`, type: 'profile.updated', profileId: profile, attributes: { email: `${profile}@example.com`, firstName: 'Gus' }, properties: {} });
    const task = { channel: 'email' as const, stepId: 'hello', template: 'welcome', journey: { id: 'welcome' }, runId: `exec-${unique()}`, profileId: profile, event: {}, steps: {} };
    const results = await Promise.all([1, 2, 3].map(() => send(task, context).catch((e: Error) => e.name)));
    const again = await send(task, context);
    await runtime.idle();
    // One attempt sends; the others are told to retry, or, if they claim after it finished, find it sent.
    const sent = results.filter((r) => typeof r === 'object');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sent.map((r) => (r as { messageId: string }).messageId)).size).toBe(1);
    expect(results.filter((r) => typeof r === 'string')).toStrictEqual(Array(3 - sent.length).fill('SendInProgressError'));
    expect(again).toMatchObject({ visit: 1, status: 'sent' });
    expect(await mailTo(runtime, `${profile}@example.com`)).toHaveLength(1);
  });
});

describe('local runtime: back-in-stock journey (push, falling back to a text)', () => {
  const outbox = async () => (await (await fetch(`${runtime.messagingUrl}/store`)).json()) as { push: Array<{ to: Array<{ token: string }>; title: string }>; sms: Array<{ to: string; body: string }> };
  const restocked = (profile: string, attributes: Record<string, unknown>) =>
    postEvents(runtime, { id: `evt-${unique()}`, type: 'item.restocked', profileId: profile, attributes: { firstName: 'Ada', ...attributes }, properties: { item: 'The blue sweater', sku: `SW-${unique()}` } });

  it('pushes to the app; texts a profile without it, or whose only device is gone', async () => {
    await restocked(`app-${unique()}`, { pushTokens: [{ token: 'tok-live', platform: 'APNS' }], phone: '+447700900001' });
    await restocked(`noapp-${unique()}`, { phone: '+447700900002' });
    await restocked(`gone-${unique()}`, { pushTokens: [{ token: 'invalid-gone', platform: 'GCM' }], phone: '+447700900003' });
    await runtime.idle();
    const { push, sms } = await outbox();
    expect(push.filter((p) => p.to.some((t) => t.token === 'tok-live')).map((p) => p.title)).toStrictEqual(['The blue sweater is back']);
    expect(sms.map((m) => m.to).filter((to) => to.startsWith('+4477009000')).sort()).toStrictEqual(['+447700900002', '+447700900003']);
  });
});
