import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointClient, SendMessagesCommand } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client as SMSVoice, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { addressHash } from '../../functions/adapters/dynamodb-suppressions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSendHandler } from '../../functions/handlers/send/app';
import { sendDeps } from '../../functions/wiring/send';
import { testPlatform } from '../platform';
import type { SendTask } from '../../functions/domain/send-message';
import { awsError, context, silentLog } from './helpers';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const pinpoint = mockClient(PinpointClient);

const handler = createSendHandler(
  sendDeps(
    testPlatform({
      workspace: {
        templates: {
          survey: { channel: 'email', subject: 'Hi {{profile.attributes.firstName}}', text: 'Order {{event.properties.orderId}}' },
          back: { channel: 'push', title: '{{event.properties.item}} is back', body: 'In your size, {{profile.attributes.firstName}}', url: 'https://example.com/{{event.properties.sku}}' },
          closed: { channel: 'sms', body: 'Closed today: {{event.properties.ride}}' },
        },
      },
    }),
    silentLog,
  ),
);

const task: SendTask = {
  channel: 'email',
  stepId: 'survey',
  template: 'survey',
  journey: { id: 'post-purchase' },
  runId: 'arn:aws:states:us-east-1:1:execution:post-purchase:abc',
  profileId: 'ada',
  event: { properties: { orderId: 'A-1' } },
  steps: {},
};
const KEY = 'arn:aws:states:us-east-1:1:execution:post-purchase:abc#survey#1';

beforeEach(() => {
  ddb.onAnyCommand().resolves({});
  ddb.on(GetCommand, { TableName: 'profiles', Key: { pk: 'P#ada', sk: 'PROFILE' } }).resolves({ Item: { id: 'ada', attributes: { email: 'ada@example.com', firstName: 'Ada' }, attributeTimes: {}, version: 1 } });
});
afterEach(() => {
  ddb.reset();
  ses.reset();
});

const existing = (Item: Record<string, unknown>) => {
  ddb.on(PutCommand, { TableName: 'ledger' }).rejects(awsError('ConditionalCheckFailedException'));
  ddb.on(GetCommand, { TableName: 'ledger' }).resolves({ Item });
};

describe('send step', () => {
  it('claims the ledger, sends with SES (configuration set, tags), and records the message id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    await expect(handler(task, context)).resolves.toStrictEqual({ visit: 1, status: 'sent', messageId: 'm-1', locale: 'default' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'ledger',
      Item: expect.objectContaining({ pk: KEY, status: 'sending', journeyId: 'post-purchase', stepId: 'survey', profileId: 'ada' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'shop@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: { Simple: { Subject: { Data: 'Hi Ada', Charset: 'UTF-8' }, Body: { Text: { Data: 'Order A-1', Charset: 'UTF-8' } } } },
      ConfigurationSetName: 'journeys',
      EmailTags: [
        { Name: 'journey', Value: 'post-purchase' },
        { Name: 'step', Value: 'survey' },
        { Name: 'locale', Value: 'default' },
      ],
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { pk: KEY }, ConditionExpression: 'attempt = :a AND #s = :sending', ExpressionAttributeValues: expect.objectContaining({ ':s': 'sent', ':m': 'm-1', ':l': 'default' }) });
  });

  it('a retry after success sends nothing and returns the recorded outcome', async () => {
    existing({ pk: KEY, status: 'sent', attempt: 'a1', messageId: 'm-1', locale: 'default' });
    await expect(handler(task, context)).resolves.toStrictEqual({ visit: 1, status: 'sent', messageId: 'm-1', locale: 'default' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('the next visit of the same step (a loop) is a new send', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    await expect(handler({ ...task, steps: { survey: { visit: 1 } } }, context)).resolves.toMatchObject({ visit: 2, status: 'sent' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'ledger', Item: expect.objectContaining({ pk: KEY.replace(/#1$/, '#2') }) });
  });

  it('throttling releases the claim and throws SendThrottledError, which the state machine retries', async () => {
    ses.on(SendEmailCommand).rejects(awsError('TooManyRequestsException'));
    await expect(handler(task, context)).rejects.toMatchObject({ name: 'SendThrottledError' });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { Key: { pk: KEY }, ConditionExpression: 'attempt = :a AND #s = :sending' });
  });

  it('a rejection is permanent: recorded as failed, PermanentSendError takes the failure path', async () => {
    ses.on(SendEmailCommand).rejects(awsError('MessageRejected'));
    await expect(handler(task, context)).rejects.toMatchObject({ name: 'PermanentSendError' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: expect.objectContaining({ ':s': 'failed', ':r': 'rejected: MessageRejected' }) });
    expect(ddb).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('a timeout after the request left is never retried: the provider may have taken it', async () => {
    ses.on(SendEmailCommand).rejects(awsError('TimeoutError', { code: 'ETIMEDOUT' }));
    await expect(handler(task, context)).rejects.toMatchObject({ name: 'PermanentSendError' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: expect.objectContaining({ ':s': 'failed', ':r': 'outcome-unknown' }) });
  });

  it('a fresh claim of another attempt means in progress: retry later, touch nothing', async () => {
    existing({ pk: KEY, status: 'sending', attempt: 'a0', claimedAt: new Date(Date.now() - 5_000).toISOString() });
    await expect(handler(task, context)).rejects.toMatchObject({ name: 'SendInProgressError' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('a claim left by an attempt that died mid-send (lease over) is recorded as failed, never sent again', async () => {
    existing({ pk: KEY, status: 'sending', attempt: 'a0', claimedAt: new Date(Date.now() - 120_000).toISOString() });
    await expect(handler(task, context)).rejects.toMatchObject({ name: 'PermanentSendError' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attempt = :a AND #s = :sending',
      ExpressionAttributeValues: expect.objectContaining({ ':a': 'a0', ':s': 'failed', ':r': 'outcome-unknown' }),
    });
  });

  it('a profile with no email address is skipped and recorded, not failed', async () => {
    ddb.on(GetCommand, { TableName: 'profiles', Key: { pk: 'P#ada', sk: 'PROFILE' } }).resolves({ Item: { id: 'ada', attributes: { firstName: 'Ada' }, attributeTimes: {}, version: 1 } });
    await expect(handler(task, context)).resolves.toStrictEqual({ visit: 1, status: 'skipped', reason: 'missing-address' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });

  it('a suppressed address (an erased person, imported again) is skipped and recorded; only its hash is looked up', async () => {
    ddb.on(GetCommand, { TableName: 'profiles', Key: { pk: `X#${addressHash('ADA@example.com')}`, sk: 'SUPPRESSED' } }).resolves({ Item: { reason: 'erased' } });
    await expect(handler(task, context)).resolves.toStrictEqual({ visit: 1, status: 'skipped', reason: 'suppressed' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { TableName: 'ledger', ExpressionAttributeValues: expect.objectContaining({ ':s': 'skipped', ':r': 'suppressed' }) });
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toContain('"X#ada@example.com"');
  });
});

describe('push and sms steps', () => {
  const sms = mockClient(SMSVoice);
  afterEach(() => {
    pinpoint.reset();
    sms.reset();
  });
  const withProfile = (attributes: Record<string, unknown>) =>
    ddb.on(GetCommand, { TableName: 'profiles', Key: { pk: 'P#ada', sk: 'PROFILE' } }).resolves({ Item: { id: 'ada', attributes: { firstName: 'Ada', ...attributes }, attributeTimes: {}, version: 1 } });
  const pushTask = { ...task, channel: 'push' as const, stepId: 'notify', template: 'back', event: { properties: { item: 'The blue sweater', sku: 'SW-42' } } };
  const smsTask = { ...task, channel: 'sms' as const, stepId: 'warn', template: 'closed', event: { properties: { ride: 'Big Dipper' } } };
  const tokens = [
    { token: 'tok-ios', platform: 'APNS' },
    { token: 'tok-android', platform: 'GCM' },
  ];

  it("pushes to the profile's devices with Pinpoint SendMessages", async () => {
    withProfile({ pushTokens: tokens });
    pinpoint.on(SendMessagesCommand).resolves({ MessageResponse: { ApplicationId: 'app-1', Result: { 'tok-ios': { DeliveryStatus: 'SUCCESSFUL', StatusCode: 200, MessageId: 'p-1' }, 'tok-android': { DeliveryStatus: 'PERMANENT_FAILURE', StatusCode: 410 } } } });
    await expect(handler(pushTask, context)).resolves.toStrictEqual({ visit: 1, status: 'sent', messageId: 'p-1', locale: 'default' });
    // The app gets the tags as the notification's data, to echo in its push.opened event.
    const tags = { journey: 'post-purchase', step: 'notify', locale: 'default' };
    expect(pinpoint).toHaveReceivedCommandWith(SendMessagesCommand, {
      ApplicationId: 'app-1',
      MessageRequest: {
        Addresses: { 'tok-ios': { ChannelType: 'APNS' }, 'tok-android': { ChannelType: 'GCM' } },
        MessageConfiguration: {
          APNSMessage: { Title: 'The blue sweater is back', Body: 'In your size, Ada', Action: 'URL', Url: 'https://example.com/SW-42', Data: tags },
          GCMMessage: { Title: 'The blue sweater is back', Body: 'In your size, Ada', Action: 'URL', Url: 'https://example.com/SW-42', Data: tags },
        },
        Context: { journey: 'post-purchase', step: 'notify', locale: 'default' },
      },
    });
  });

  it('is retried when every device was throttled, failed when every device refused it', async () => {
    withProfile({ pushTokens: tokens });
    pinpoint.on(SendMessagesCommand).resolvesOnce({ MessageResponse: { ApplicationId: 'app-1', Result: { 'tok-ios': { DeliveryStatus: 'THROTTLED', StatusCode: 429 }, 'tok-android': { DeliveryStatus: 'TEMPORARY_FAILURE', StatusCode: 503 } } } });
    await expect(handler(pushTask, context)).rejects.toMatchObject({ name: 'SendThrottledError' });
    pinpoint.on(SendMessagesCommand).resolves({ MessageResponse: { ApplicationId: 'app-1', Result: { 'tok-ios': { DeliveryStatus: 'PERMANENT_FAILURE', StatusCode: 410 }, 'tok-android': { DeliveryStatus: 'OPT_OUT', StatusCode: 400 } } } });
    await expect(handler(pushTask, context)).rejects.toMatchObject({ name: 'PermanentSendError' });
    // The dead token (PERMANENT_FAILURE) leaves the profile; the opted-out one stays (the person may opt in again).
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'profiles',
      Item: expect.objectContaining({ pk: 'P#ada', attributes: expect.objectContaining({ pushTokens: [tokens.find((t) => t.token === 'tok-android')] }) }),
    });
  });

  it('skips a profile with no valid device token, and records it', async () => {
    withProfile({ pushTokens: [{ token: 'x', platform: 'WINDOWS' }] });
    await expect(handler(pushTask, context)).resolves.toStrictEqual({ visit: 1, status: 'skipped', reason: 'missing-address' });
    expect(pinpoint).not.toHaveReceivedCommand(SendMessagesCommand);
  });

  it("texts the profile's phone with End User Messaging SMS", async () => {
    withProfile({ phone: '+447700900123' });
    sms.on(SendTextMessageCommand).resolves({ MessageId: 's-1' });
    await expect(handler(smsTask, context)).resolves.toStrictEqual({ visit: 1, status: 'sent', messageId: 's-1', locale: 'default' });
    expect(sms).toHaveReceivedCommandWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+447700900123',
      MessageBody: 'Closed today: Big Dipper',
      MessageType: 'TRANSACTIONAL',
      Context: { journey: 'post-purchase', step: 'warn', locale: 'default' },
    });
  });

  it('skips a phone number that is not E.164; a refused number fails for good', async () => {
    withProfile({ phone: '07700 900123' });
    await expect(handler(smsTask, context)).resolves.toMatchObject({ status: 'skipped', reason: 'missing-address' });
    withProfile({ phone: '+447700900123' });
    sms.on(SendTextMessageCommand).rejects(awsError('ConflictException'));
    await expect(handler({ ...smsTask, stepId: 'warn-2' }, context)).rejects.toMatchObject({ name: 'PermanentSendError' });
  });
});

describe('a channel choice step', () => {
  afterEach(() => pinpoint.reset());
  const choice: SendTask = { ...task, stepId: 'tip', channel: 'push', template: 'back', choices: [{ channel: 'push', template: 'back' }, { channel: 'email', template: 'survey' }], event: { properties: { item: 'Hat', sku: 'H-1', orderId: 'A-1' } } };

  it('sends on an eligible channel only, names it, and tags the email with values SES accepts', async () => {
    // The device token is suppressed (its owner was erased once): push is not eligible, email is, every time.
    ddb.on(GetCommand, { TableName: 'profiles', Key: { pk: 'P#ada', sk: 'PROFILE' } }).resolves({ Item: { id: 'ada', attributes: { email: 'ada@example.com', firstName: 'Ada', pushTokens: [{ token: 'tok-x', platform: 'GCM' }] }, attributeTimes: {}, version: 1 } });
    ddb.on(GetCommand, { TableName: 'profiles', Key: { pk: `X#${addressHash('tok-x')}`, sk: 'SUPPRESSED' } }).resolves({ Item: { reason: 'erased' } });
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-9' });
    for (let i = 0; i < 5; i += 1) {
      ses.resetHistory();
      await expect(handler({ ...choice, runId: `run-${i}` }, context)).resolves.toMatchObject({ status: 'sent', channel: 'email' });
      const tags = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.EmailTags!;
      expect(Object.fromEntries(tags.map((t) => [t.Name, t.Value]))).toMatchObject({ step: 'tip', groups: 'channel.email', learn: '@all' });
      for (const t of tags) expect(t.Value).toMatch(/^[A-Za-z0-9_.@-]{1,256}$/);
    }
    expect(pinpoint).not.toHaveReceivedCommand(SendMessagesCommand);
  });

  it('is skipped (no-channel) when no option can reach the person', async () => {
    ddb.on(GetCommand, { TableName: 'profiles', Key: { pk: 'P#ada', sk: 'PROFILE' } }).resolves({ Item: { id: 'ada', attributes: { firstName: 'Ada' }, attributeTimes: {}, version: 1 } });
    await expect(handler(choice, context)).resolves.toMatchObject({ status: 'skipped', reason: 'no-channel', channel: '' });
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });
});
