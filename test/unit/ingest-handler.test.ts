import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeBus } from '../../functions/adapters/eventbridge-bus';
import { StepFunctionsTaskTokens } from '../../functions/adapters/sfn-task-tokens';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createIngestHandler } from '../../functions/handlers/ingest/app';
import { ingestDeps } from '../../functions/wiring/ingest';
import { testPlatform } from '../platform';
import { awsError, context, httpEvent, silentLog } from './helpers';

const ddb = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);
const sfn = mockClient(SFNClient);
const noSleep = async () => undefined;
const notUsed = async (): Promise<never> => {
  throw new Error('not used by ingest');
};

const handler = createIngestHandler(
  ingestDeps(
    testPlatform({
      local: {
        bus: new EventBridgeBus(new EventBridgeClient({ region: 'us-east-1' }), 'journeys', noSleep),
        executions: Object.assign(new StepFunctionsTaskTokens(new SFNClient({ region: 'us-east-1' })), { start: notUsed, stop: notUsed, lastState: notUsed }),
      },
    }),
    silentLog,
  ),
);

const event = {
  id: 'evt-1',
  type: 'order.delivered',
  profileId: 'ada',
  timestamp: '2026-11-28T10:00:00+01:00',
  properties: { orderId: 'A-1', delayed: true },
  attributes: { email: 'ada@example.com', firstName: 'Ada' },
};

beforeEach(() => {
  ddb.onAnyCommand().resolves({});
});

afterEach(() => {
  ddb.reset();
  eventBridge.reset();
  sfn.reset();
});

describe('POST /events', () => {
  it('accepts an event: receipt, profile, history, bus, then marks it published', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const response = await handler(httpEvent(event), context);
    expect(response).toMatchObject({ statusCode: 202 });
    expect(JSON.parse((response as { body: string }).body)).toStrictEqual({ accepted: ['evt-1'], duplicates: [] });

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'R#evt-1', status: 'pending' }), ConditionExpression: 'attribute_not_exists(pk)' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'P#ada', sk: 'PROFILE', version: 1, attributes: { email: 'ada@example.com', firstName: 'Ada' } }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'P#ada', sk: 'E#2026-11-28T09:00:00.000Z#evt-1' }) });
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry).toMatchObject({ EventBusName: 'journeys', Source: 'journeys.ingest', DetailType: 'order.delivered' });
    expect(JSON.parse(entry.Detail!)).toStrictEqual({
      event: { id: 'evt-1', type: 'order.delivered', profileId: 'ada', timestamp: '2026-11-28T09:00:00.000Z', properties: { orderId: 'A-1', delayed: true } },
      profile: { id: 'ada', attributes: { email: 'ada@example.com', firstName: 'Ada' } },
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { pk: 'R#evt-1', sk: 'RECEIPT' }, ExpressionAttributeValues: { ':p': 'published' } });
  });

  it('rejects a malformed event with 400 naming every field, and writes nothing', async () => {
    const response = await handler(httpEvent({ id: 'evt 1', type: 'order.delivered', profileId: '', properties: [], attributes: { 'first-name': 'x' }, extra: 1 }), context);
    expect(response).toMatchObject({ statusCode: 400 });
    const body = JSON.parse((response as { body: string }).body);
    expect(body.error).toBe('ValidationError');
    expect(body.issues.map((i: { path: string }) => i.path)).toStrictEqual(['id', 'profileId', 'properties', 'attributes.first-name', '']);
    expect(ddb.calls()).toHaveLength(0);
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('rejects a whole batch when one event is bad: never a partial write', async () => {
    const response = await handler(httpEvent({ events: [event, { ...event, id: 'evt-2', timestamp: 'yesterday' }] }), context);
    expect(response).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((response as { body: string }).body).issues).toStrictEqual([
      { path: 'events[1].timestamp', message: 'must be an ISO 8601 timestamp with a time zone' },
    ]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"id":', 400, 'InvalidJson'],
    ['more than 100 events', JSON.stringify({ events: Array.from({ length: 101 }, (_, i) => ({ ...event, id: `e${i}` })) }), 400, 'ValidationError'],
    ['larger than 256 KB', JSON.stringify({ ...event, properties: { blob: 'x'.repeat(300_000) } }), 400, 'PayloadTooLarge'],
  ])('rejects a body that is %s', async (_name, body, status, error) => {
    const response = await handler(httpEvent(body, true), context);
    expect(response).toMatchObject({ statusCode: status });
    expect(JSON.parse((response as { body: string }).body).error).toBe(error);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('treats an event id already published as a duplicate: nothing is processed again', async () => {
    ddb.on(PutCommand, { Item: { pk: 'R#evt-1' } }).rejects(awsError('ConditionalCheckFailedException'));
    ddb.on(GetCommand, { Key: { pk: 'R#evt-1', sk: 'RECEIPT' } }).resolves({ Item: { status: 'published' } });
    const response = await handler(httpEvent(event), context);
    expect(JSON.parse((response as { body: string }).body)).toStrictEqual({ accepted: [], duplicates: ['evt-1'] });
    expect(eventBridge.calls()).toHaveLength(0);
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('processes again an event recorded but never published (a crash half-way): nothing accepted is lost', async () => {
    ddb.on(PutCommand, { Item: { pk: 'R#evt-1' } }).rejects(awsError('ConditionalCheckFailedException'));
    ddb.on(GetCommand, { Key: { pk: 'R#evt-1', sk: 'RECEIPT' } }).resolves({ Item: { status: 'pending' } });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const response = await handler(httpEvent(event), context);
    expect(JSON.parse((response as { body: string }).body)).toStrictEqual({ accepted: ['evt-1'], duplicates: [] });
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  it('answers 500 without marking the event published when the bus keeps failing, so a retry redoes it', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const response = await handler(httpEvent(event), context);
    expect(response).toMatchObject({ statusCode: 500 });
    expect(JSON.parse((response as { body: string }).body).error).toBe('InternalError');
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 4);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('merges with optimistic locking and retries on a concurrent update', async () => {
    ddb.on(GetCommand, { Key: { pk: 'P#ada', sk: 'PROFILE' } }).resolves({
      Item: { id: 'ada', attributes: { plan: 'free' }, attributeTimes: { plan: '2026-01-01T00:00:00.000Z' }, createdAt: 'x', updatedAt: 'x', version: 4 },
    });
    ddb
      .on(PutCommand, { Item: { pk: 'P#ada', sk: 'PROFILE' } })
      .rejectsOnce(awsError('ConditionalCheckFailedException'))
      .resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    await handler(httpEvent(event), context);
    const profilePuts = ddb.commandCalls(PutCommand).filter((c) => c.args[0].input.Item?.sk === 'PROFILE');
    expect(profilePuts).toHaveLength(2);
    expect(profilePuts[1]!.args[0].input).toMatchObject({ ConditionExpression: '#v = :v', ExpressionAttributeValues: { ':v': 4 }, Item: { version: 5, attributes: { plan: 'free', email: 'ada@example.com' } } });
  });
});

describe('the Segment tracking API', () => {
  const answerBus = () => eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'e' })) }));
  const published = () => eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => [e.DetailType, JSON.parse(e.Detail!)]));

  it('track: the event name is the type, the userId the profile, the messageId the event id; answers 200 { success: true }', async () => {
    answerBus();
    const response = await handler(httpEvent({ messageId: 'm-1', userId: 'u-1', event: 'Order Completed', properties: { total: 42 }, context: { library: { name: 'x' } } }, false, '/v1/track'), context);
    expect(response).toMatchObject({ statusCode: 200, body: '{"success":true}' });
    expect(published()).toMatchObject([['Order Completed', { event: { id: 'm-1', type: 'Order Completed', profileId: 'u-1', properties: { total: 42 } } }]]);
  });

  it('identify: traits are merged into the profile; an anonymous visitor is a profile too', async () => {
    answerBus();
    await handler(httpEvent({ messageId: 'm-2', anonymousId: 'anon-7', traits: { email: 'a@b.c', plan: 'free' } }, false, '/v1/identify'), context);
    expect(published()).toMatchObject([['identify', { profile: { id: 'anonymous:anon-7', attributes: { email: 'a@b.c', plan: 'free' } } }]]);
    // Its identities are indexed: the anonymous id, and the email from the traits.
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: { pk: 'I#anonymousId:anon-7', sk: 'IDENTITY', profileId: 'anonymous:anon-7' } });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: { pk: 'I#email:a@b.c', sk: 'IDENTITY', profileId: 'anonymous:anon-7' } });
  });

  it('batch: track, identify, page and screen, validated as a whole', async () => {
    answerBus();
    const batch = [
      { type: 'identify', messageId: 'b-1', userId: 'u', traits: { firstName: 'Ada' } },
      { type: 'track', messageId: 'b-2', userId: 'u', event: 'Product Viewed', properties: { sku: 'SW-42' } },
      { type: 'page', messageId: 'b-3', userId: 'u', name: 'Home' },
    ];
    expect(await handler(httpEvent({ batch, sentAt: '2026-11-28T10:00:00Z' }, false, '/v1/batch'), context)).toMatchObject({ statusCode: 200 });
    expect(published().map(([type]) => type)).toStrictEqual(['identify', 'Product Viewed', 'page']);
  });

  it('refuses what it cannot keep, naming the field, and writes nothing', async () => {
    const response = await handler(
      httpEvent({ batch: [{ type: 'track', messageId: 'x-1', event: 'A' }, { type: 'group', messageId: 'x-2', userId: 'u', groupId: 'g' }] }, false, '/v1/batch'),
      context,
    );
    expect(response).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((response as { body: string }).body).issues).toStrictEqual([
      { path: 'batch[0].userId', message: 'a message needs a userId or an anonymousId' },
      { path: 'batch[1].type', message: 'type must be track, identify, page, screen or alias (group is not supported)' },
    ]);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('POST /events resumes profiles waiting for the event', () => {
  const waiting = (where?: unknown) => ({
    pk: 'W#ada',
    sk: 'order.delivered#exec-1#wait-delivery',
    profileId: 'ada',
    eventType: 'order.delivered',
    key: 'exec-1#wait-delivery',
    taskToken: 'token-1',
    journeyId: 'j',
    stepId: 'wait-delivery',
    ...(where ? { where } : {}),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  const answerBus = () => eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });

  it('looks up only this profile and event type, answers the token with the event, then removes it', async () => {
    answerBus();
    ddb.on(QueryCommand).resolves({ Items: [waiting({ path: 'event.properties.delayed', op: 'eq', value: true })] });
    sfn.on(SendTaskSuccessCommand).resolves({});
    await handler(httpEvent(event), context);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :type)', ExpressionAttributeValues: { ':pk': 'W#ada', ':type': 'order.delivered#' } });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    const call = sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(call.taskToken).toBe('token-1');
    expect(JSON.parse(call.output!)).toMatchObject({ id: 'evt-1', type: 'order.delivered', properties: { orderId: 'A-1', delayed: true } });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: 'W#ada', sk: 'order.delivered#exec-1#wait-delivery' } });
  });

  it('leaves a wait whose condition does not hold', async () => {
    answerBus();
    ddb.on(QueryCommand).resolves({ Items: [waiting({ path: 'event.properties.delayed', op: 'eq', value: false })] });
    await handler(httpEvent(event), context);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(ddb).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('drops a token Step Functions no longer waits on (timed out, or answered by another event)', async () => {
    answerBus();
    ddb.on(QueryCommand).resolves({ Items: [waiting()] });
    sfn.on(SendTaskSuccessCommand).rejects(awsError('TaskTimedOut'));
    const response = await handler(httpEvent(event), context);
    expect(response).toMatchObject({ statusCode: 202 });
    expect(ddb).toHaveReceivedCommand(DeleteCommand);
  });

  it('keeps the token and fails the request when Step Functions cannot be reached, so a retry resumes it', async () => {
    answerBus();
    ddb.on(QueryCommand).resolves({ Items: [waiting()] });
    sfn.on(SendTaskSuccessCommand).rejects(awsError('ServiceUnavailable'));
    expect(await handler(httpEvent(event), context)).toMatchObject({ statusCode: 500 });
    expect(ddb).not.toHaveReceivedCommand(DeleteCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});

describe('EventBridgeBus', () => {
  it('sends in batches of 10 and retries only the entries that failed', async () => {
    const bus = new EventBridgeBus(new EventBridgeClient({ region: 'us-east-1' }), 'b', noSleep);
    const entries = Array.from({ length: 12 }, (_, i) => ({ source: 's', detailType: `t${i}`, detail: {} as never }));
    // The first call fails its tenth entry; every later call succeeds.
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => {
      const first = eventBridge.commandCalls(PutEventsCommand).length === 1;
      return { FailedEntryCount: first ? 1 : 0, Entries: input.Entries.map((_, i) => (first && i === 9 ? { ErrorCode: 'ThrottlingException' } : { EventId: 'ok' })) };
    });
    await bus.publish(entries);
    const sizes = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!.map((e) => e.DetailType));
    expect(sizes).toStrictEqual([['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'], ['t9'], ['t10', 't11']]);
  });
});
