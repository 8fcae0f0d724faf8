import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRunStore } from '../../functions/adapters/dynamodb-runs';
import { StepFunctionsExecutions } from '../../functions/adapters/sfn-executions';
import { createStarterHandler } from '../../functions/handlers/starter/app';
import { executionName } from '../../functions/domain/journey-start';
import { awsError, context, silentLog } from './helpers';
import { logRef } from '../../functions/logger';

const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBDocumentClient);
const deps = {
  executions: new StepFunctionsExecutions(new SFNClient({ region: 'us-east-1' })),
  runs: new DynamoDbRunStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'profiles'),
  clock: { now: () => new Date('2026-11-28T10:00:00.000Z') },
};
const handler = createStarterHandler({ ...deps, log: silentLog });
beforeEach(() => ddb.onAnyCommand().resolves({}));
afterEach(() => ddb.reset());
afterEach(() => sfn.reset());

const input = {
  journey: { id: 'welcome' },
  stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:welcome',
  when: { path: 'profile.attributes.email', op: 'exists' },
  detail: {
    event: { id: 'evt-9', type: 'customer.signed_up', profileId: 'ada', timestamp: '2026-11-28T09:00:00.000Z', properties: {} },
    profile: { id: 'ada', attributes: { email: 'ada@example.com' } },
  },
};

describe('journey starter', () => {
  it('starts the execution under a deterministic name, with the state data the ASL reads', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x' });
    await expect(handler(input, context)).resolves.toStrictEqual({ outcome: 'started' });
    const call = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(call.name).toBe(executionName('welcome', 'ada', 'evt-9'));
    expect(call.stateMachineArn).toBe(input.stateMachineArn);
    expect(JSON.parse(call.input!)).toStrictEqual({ journey: { id: 'welcome' }, profileId: 'ada', event: input.detail.event, profile: input.detail.profile, tally: {}, steps: {}, visits: {}, run: { id: call.name, correlation: '-', segment: 0, enteredAt: '2026-11-28T10:00:00.000Z' } });
    // The run was claimed first: not while the profile is in the journey, unless it is this same execution.
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'J#ada', sk: 'welcome#-', status: 'running', executionArn: `arn:aws:states:us-east-1:1:execution:welcome:${call.name}` }),
      ConditionExpression: 'attribute_not_exists(pk) OR executionName = :name OR #s = :ended',
    });
  });

  it('does not start while the profile is in the journey', async () => {
    ddb.on(PutCommand).rejects(awsError('ConditionalCheckFailedException'));
    ddb.on(GetCommand).resolves({ Item: { status: 'running' } });
    await expect(handler(input, context)).resolves.toStrictEqual({ outcome: 'in-journey' });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('an event delivered twice starts one execution: the second start is not an error', async () => {
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists'));
    await expect(handler(input, context)).resolves.toStrictEqual({ outcome: 'already-started' });
  });

  it('does not start when the entry condition does not hold', async () => {
    const noEmail = { ...input, detail: { ...input.detail, profile: { id: 'ada', attributes: {} } } };
    await expect(handler(noEmail, context)).resolves.toStrictEqual({ outcome: 'filtered' });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('refuses an execution input over 256 KB before claiming the run, so nothing is left half done', async () => {
    const big = { ...input, detail: { ...input.detail, profile: { id: 'ada', attributes: { email: 'a@b.c', notes: 'x'.repeat(200_000) } }, event: { ...input.detail.event, properties: { blob: 'y'.repeat(70_000) } } } };
    await expect(handler(big, context)).resolves.toStrictEqual({ outcome: 'input-too-large' });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('other errors are thrown, so Lambda retries and then dead-letters the event', async () => {
    sfn.on(StartExecutionCommand).rejects(awsError('ThrottlingException'));
    await expect(handler(input, context)).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('refuses an input that is not what the rules write', async () => {
    await expect(handler({ journey: { id: 'x' } }, context)).rejects.toMatchObject({ name: 'ZodError' });
  });

  it('logs a hash of the event id, never the id (a sender may put an email address in it)', async () => {
    const lines: unknown[] = [];
    const log = { info: (m: string, f?: object) => void lines.push([m, f]), warn: () => undefined, error: () => undefined };
    const logged = createStarterHandler({ ...deps, log });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x' });
    const event = { ...input.detail.event, id: 'ada@example.com-order-7' };
    await logged({ ...input, detail: { ...input.detail, event } }, context);
    expect(JSON.stringify(lines)).not.toContain('ada@example.com');
    expect(lines).toStrictEqual([['journey entry', { journey: 'welcome', eventRef: logRef('ada@example.com-order-7'), outcome: 'started' }]]);
  });
});
