import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from '../../local/stepfunctions';
import type { StateMachineDefinition } from '../../statemachines';

// The local runner journals Express executions: those a killed process had started and not seen end run again
// on the next start (as AWS may run an asynchronous Express execution more than once), and no others.

const dir = mkdtempSync(join(tmpdir(), 'jo-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const definition: StateMachineDefinition = {
  Comment: 'one task',
  StartAt: 'work',
  States: { work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${WorkFunctionArn}', 'Payload.$': '$' }, End: true } },
};

describe('the local runner after a crash', () => {
  it('starts again the Express executions that had not ended, once each, with their input', async () => {
    const journal = join(dir, 'express-executions.jsonl');
    const seen: string[] = [];
    let hold = (_: unknown) => undefined as unknown;
    // First process: one execution ends, one hangs in its task when the process "dies".
    const first = new LocalStepFunctions({ '${WorkFunctionArn}': async (e) => (seen.push((e as { n: string }).n), (e as { n: string }).n === 'stuck' ? new Promise((r) => (hold = r)) : {}) }, 1, journal);
    const arn = first.register('j', definition, 'v1', 'EXPRESS');
    await first.start({ stateMachineArn: arn, name: 'done-1', input: { n: 'done' } });
    await first.start({ stateMachineArn: arn, name: 'stuck-1', input: { n: 'stuck' } });
    await first.executions.get(`${arn.replace(':stateMachine:', ':execution:')}:done-1`)!.done;
    expect(readFileSync(journal, 'utf8').split('\n').filter(Boolean).map((l) => Object.keys(JSON.parse(l))[0])).toStrictEqual(['start', 'start', 'end']);

    // Second process on the same journal: the one that did not end runs again.
    const again: string[] = [];
    const second = new LocalStepFunctions({ '${WorkFunctionArn}': async (e) => (again.push((e as { n: string }).n), {}) }, 1, journal);
    second.register('j', definition, 'v1', 'EXPRESS');
    await expect(second.recover()).resolves.toBe(1);
    await second.idle();
    expect(again).toStrictEqual(['stuck']);
    expect(seen).toStrictEqual(['done', 'stuck']);
    // Ended now: a third start finds nothing to run again.
    const third = new LocalStepFunctions({ '${WorkFunctionArn}': async () => ({}) }, 1, journal);
    third.register('j', definition, 'v1', 'EXPRESS');
    await expect(third.recover()).resolves.toBe(0);
    hold(undefined);
    first.stopAll();
  });
});
