import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbWaitingStore } from '../../functions/adapters/dynamodb-waiting';
import { executionName } from '../../functions/domain/journey-start';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { EMBEDDED, LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailbox, postEvents } from './helpers';

// Express resumes delivered more than once: the due schedule and the awaited event at the same moment, the
// same schedule twice, and a segment executed twice (Express runs asynchronous executions at least once).
// Each run sends one message, once; the report counts each once.

let runtime: LocalRuntime;
let waits: DynamoDbWaitingStore;
beforeAll(async () => {
  runtime = await startLocalRuntime({ ...EMBEDDED, workspace: 'test/fixtures/workspaces/durable', execution: 'express' });
  waits = new DynamoDbWaitingStore(DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS })), LOCAL_TABLES.profiles);
});
afterAll(async () => runtime?.stop());

const PROFILES = ['race-0', 'race-1', 'race-2', 'race-3', 'race-4', 'race-5'];
const parkedRef = async (profile: string) => eventually(async () => (await waits.forEvent(profile, 'survey.answered')).find((w) => w.continuation?.status === 'parked'));
const sentTo = async (profile: string) => (await mailbox(runtime)).filter((m) => m.destination.to[0] === `${profile}@example.com`).map((m) => m.subject.split(' ')[0]);

describe('a parked run resumed twice', () => {
  it('schedule and event racing, the same schedule twice, a segment executed twice: one message per run', async () => {
    await postEvents(runtime, { events: PROFILES.map((p) => ({ id: `${p}-sent`, type: 'survey.sent', profileId: p, attributes: { email: `${p}@example.com`, firstName: p }, properties: {} })) });
    const refs = await Promise.all(PROFILES.map(parkedRef));

    // race-0..2: the schedule fires as the answer arrives; whichever consumes the continuation first wins.
    await Promise.all(refs.slice(0, 3).flatMap((ref, i) => [runtime.resumeNow(ref!), postEvents(runtime, { id: `race-${i}-answer`, type: 'survey.answered', profileId: `race-${i}`, properties: {} })]));
    // race-3..4: the same schedule delivered twice at once.
    await Promise.all(refs.slice(3, 5).flatMap((ref) => [runtime.resumeNow(ref!), runtime.resumeNow(ref!)]));
    // race-5: answered, and the answer's segment executed a second time under another name.
    await postEvents(runtime, { id: 'race-5-answer', type: 'survey.answered', profileId: 'race-5', properties: {} });
    const runId = executionName('reply', 'race-5', 'race-5-sent');
    const segment = await eventually(async () => runtime.stepFunctions.executions.get([...runtime.stepFunctions.executions.keys()].find((arn) => arn.endsWith(`:${runId}-1`)) ?? ''));
    await runtime.idle();
    await runtime.stepFunctions.start({ stateMachineArn: segment.stateMachineArn, name: `${runId}-1-again`, input: segment.input });
    await runtime.idle();

    for (const [i, p] of PROFILES.entries()) {
      const sent = await sentTo(p);
      expect(sent, p).toHaveLength(1);
      expect(sent[0], p).toBe(i === 3 || i === 4 ? 'chase' : i === 5 ? 'thanks' : sent[0]);
      expect(runtime.stepFunctions.run(executionName('reply', p, `${p}-sent`))?.status, p).toBe('SUCCEEDED');
    }
    const report = (await (await fetch(`${runtime.apiUrl}/journeys/reply/report`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as Record<string, any>;
    expect(report.totals).toMatchObject({ entered: 6, completed: 6, inFlight: 0 });
    expect(report.steps.answered).toMatchObject({ entered: 6, waiting: 0 });
    expect((report.steps.thanks.sent ?? 0) + (report.steps.chase.sent ?? 0)).toBe(6);
  });
});
