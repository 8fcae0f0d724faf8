import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeBus } from '../../functions/adapters/eventbridge-bus';
import { StepFunctionsTaskTokens } from '../../functions/adapters/sfn-task-tokens';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, Context, SQSBatchResponse } from 'aws-lambda';
import { createIngestHandler } from '../../functions/handlers/ingest/app';
import { createApplyHandler } from '../../functions/handlers/apply/app';
import { acceptDeps, ingestDeps } from '../../functions/wiring/ingest';
import { testPlatform } from '../platform';
import { awsError, context, httpEvent, silentLog, sqsRecord } from './helpers';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const eventBridge = mockClient(EventBridgeClient);
const sfn = mockClient(SFNClient);
const noSleep = async () => undefined;
const notUsed = async (): Promise<never> => {
  throw new Error('not used by ingest');
};

const platform = testPlatform({
  settings: { EVENTS_QUEUE_URL: 'https://sqs.local/events.fifo' },
  local: {
    bus: new EventBridgeBus(new EventBridgeClient({ region: 'us-east-1' }), 'journeys', noSleep),
    executions: Object.assign(new StepFunctionsTaskTokens(new SFNClient({ region: 'us-east-1' })), { start: notUsed, stop: notUsed, lastState: notUsed }),
  },
});
const api = createIngestHandler(acceptDeps(platform, silentLog));
const consumer = createApplyHandler(ingestDeps(platform, silentLog));
let applied: SQSBatchResponse | undefined;

/** The pipeline: the API answers, then what it enqueued (SendMessageBatch) reaches the consumer as SQS records. */
async function handler(request: APIGatewayProxyEventV2, ctx: Context) {
  const before = sqs.commandCalls(SendMessageBatchCommand).length;
  const response = await api(request, ctx);
  const entries = sqs.commandCalls(SendMessageBatchCommand).slice(before).flatMap((c) => c.args[0].input.Entries!);
  applied = entries.length > 0 ? await consumer({ Records: entries.map((e) => sqsRecord(e.Id!, e.MessageBody!, e.MessageGroupId!)) }, ctx) : undefined;
  return response;
}

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
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

afterEach(() => {
  ddb.reset();
  sqs.reset();
  eventBridge.reset();
  sfn.reset();
});

describe('POST /events', () => {
  it('accepts an event: receipt, queue (a group per profile); then the consumer merges the profile, appends the history, publishes, marks it published', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const response = await handler(httpEvent(event), context);
    expect(response).toMatchObject({ statusCode: 202 });
    expect(JSON.parse((response as { body: string }).body)).toStrictEqual({ accepted: ['evt-1'], duplicates: [] });
    const [sent] = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(sent).toMatchObject({ QueueUrl: 'https://sqs.local/events.fifo', Entries: [{ MessageGroupId: expect.stringMatching(/^[0-9a-f]{64}$/), MessageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
    expect(sent!.Entries![0]!.MessageGroupId).not.toContain('ada'); // no personal id in the queue's metadata
    expect(applied).toStrictEqual({ batchItemFailures: [] });

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

  it('enqueues again an event recorded but never applied (the request that recorded it failed half-way), with the timestamp first recorded: nothing accepted is lost', async () => {
    ddb.on(PutCommand, { Item: { pk: 'R#evt-1' } }).rejects(awsError('ConditionalCheckFailedException'));
    ddb.on(GetCommand, { Key: { pk: 'R#evt-1', sk: 'RECEIPT' } }).resolves({ Item: { status: 'pending', timestamp: '2026-11-28T08:00:00.000Z' } });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const response = await handler(httpEvent(event), context);
    expect(JSON.parse((response as { body: string }).body)).toStrictEqual({ accepted: [], duplicates: ['evt-1'] });
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'P#ada', sk: 'E#2026-11-28T08:00:00.000Z#evt-1' }) });
  });

  it('claims a batch in one transaction; ids that exist are read in one BatchGetItem and answered as duplicates', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const cancelled = Object.assign(awsError('TransactionCanceledException'), { CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }] });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: { profiles: [{ pk: 'R#evt-2', sk: 'RECEIPT', status: 'published' }] } });
    const response = await handler(httpEvent({ events: [event, { ...event, id: 'evt-2' }, { ...event, id: 'evt-3' }] }), context);
    expect(JSON.parse((response as { body: string }).body)).toStrictEqual({ accepted: ['evt-1', 'evt-3'], duplicates: ['evt-2'] });
    const transactions = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.map((t) => t.Put!.Item!.pk));
    expect(transactions).toStrictEqual([['R#evt-1', 'R#evt-2', 'R#evt-3'], ['R#evt-1', 'R#evt-3']]);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries).toHaveLength(2);
  });

  it('answers 202 and leaves the event to the queue when the bus keeps failing: not marked published, so the redelivery redoes it', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const response = await handler(httpEvent(event), context);
    expect(response).toMatchObject({ statusCode: 202 });
    expect(applied!.batchItemFailures).toHaveLength(1);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 4);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('answers 503 with Retry-After, and records nothing, when the queue is too far behind', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '600000', ApproximateNumberOfMessagesNotVisible: '0' } });
    const busy = createIngestHandler(acceptDeps(testPlatform({ settings: { EVENTS_QUEUE_URL: 'https://sqs.local/busy.fifo' } }), silentLog));
    const response = await busy(httpEvent(event), context);
    expect(response).toMatchObject({ statusCode: 503, headers: { 'retry-after': '5' } });
    expect(JSON.parse((response as { body: string }).body)).toMatchObject({ error: 'Overloaded' });
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
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

describe('values the store could not keep are refused before anything is written', () => {
  const body = (e: Record<string, unknown>) => JSON.stringify({ ...event, ...e });
  it.each([
    ['a prototype name in properties', body({ properties: { constructor: 'Ferrari' } }), 'properties.constructor', /reserved name/],
    ['__proto__ as an attribute', '{"id":"evt-1","type":"t","profileId":"ada","attributes":{"__proto__":{"x":1}}}', 'attributes.__proto__', /reserved name/],
    ['toString deep inside', body({ properties: { cart: [{ item: { toString: 1 } }] } }), 'properties.cart[0].item.toString', /reserved name/],
    ['an integer past 2^53', '{"id":"evt-1","type":"t","profileId":"ada","attributes":{"ltv":9007199254740993}}', 'attributes.ltv', /2\^53/],
    ['1e400 (Infinity)', '{"id":"evt-1","type":"t","profileId":"ada","properties":{"x":1e400}}', 'properties.x', /finite/],
    ['0.1e-320 (below DynamoDB\'s range)', '{"id":"evt-1","type":"t","profileId":"ada","properties":{"x":0.1e-320}}', 'properties.x', /1e-130/],
    ['nesting deeper than 30 levels', body({ properties: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) }), 'properties.a.a', /deeper than 30/],
    ['a lone surrogate', body({ properties: { name: '\ud800' } }), 'properties.name', /Unicode/],
    ['an empty field name', body({ properties: { '': 1 } }), 'properties.""', /empty/],
  ])('%s: 400 naming the field', async (_name, raw, path, message) => {
    const response = await handler(httpEvent(raw, true), context);
    expect(response).toMatchObject({ statusCode: 400 });
    const issues = JSON.parse((response as { body: string }).body).issues as Array<{ path: string; message: string }>;
    expect(issues.find((i) => i.path.startsWith(path))?.message).toMatch(message);
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('a timestamp further ahead than the allowed skew (15 minutes by default), in a batch: 400 naming it', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const response = await handler(httpEvent({ events: [event, { ...event, id: 'evt-2', timestamp: '9999-12-31T00:00:00Z' }, { ...event, id: 'evt-3', timestamp: later }] }), context);
    expect(response).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((response as { body: string }).body).issues.map((i: { path: string }) => i.path)).toStrictEqual(['events[1].timestamp', 'events[2].timestamp']);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('a consent list named constructor on PATCH /profiles: 400 naming it', async () => {
    const request = { ...httpEvent({ consents: { email: { constructor: 'granted' } } }, false, '/profiles/ada'), pathParameters: { id: 'ada' } };
    request.requestContext.http.method = 'PATCH';
    request.routeKey = 'PATCH /profiles/{id}';
    const response = await handler(request, context);
    expect(response).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((response as { body: string }).body).issues.map((i: { path: string }) => i.path)).toContain('consents.email.constructor');
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

  it('keeps the token and leaves the event to the queue when Step Functions cannot be reached, so the redelivery resumes it', async () => {
    answerBus();
    ddb.on(QueryCommand).resolves({ Items: [waiting()] });
    sfn.on(SendTaskSuccessCommand).rejects(awsError('ServiceUnavailable'));
    expect(await handler(httpEvent(event), context)).toMatchObject({ statusCode: 202 });
    expect(applied!.batchItemFailures).toHaveLength(1);
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
