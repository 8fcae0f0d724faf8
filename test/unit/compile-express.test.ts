import { describe, expect, it } from 'vitest';
import validator from 'asl-validator';
import { compileJourney, journeySchema, type State, type TaskState } from '../../statemachines';
import { CLOSE_STATE, FAILED_STATE, RESUME_STATE } from '../../statemachines/contract';

const journeyOf = (steps: Record<string, unknown>, start = Object.keys(steps)[0]!) =>
  journeySchema.parse({ id: 'j', name: 'J', entry: { event: 'x' }, start, steps });
const payload = (s: State | undefined) => (s as TaskState).Parameters!.Payload as Record<string, unknown>;

describe('compile: Express (the default)', () => {
  const onboarding = journeyOf({
    nudge: { type: 'email', template: 'install-app', next: 'installed' },
    installed: { type: 'waitForEvent', event: 'app.installed', timeout: 'P3D', next: 'pause', onTimeout: 'done' },
    pause: { type: 'wait', for: 'PT30S', next: 'later' },
    later: { type: 'wait', for: 'P1D', next: 'done' },
    done: { type: 'end' },
  });
  const asl = compileJourney(onboarding);

  it('is valid ASL with no callback task and no wait longer than a minute (an Express execution lasts 5 minutes at most)', () => {
    expect(validator(structuredClone(asl), { checkArn: false, checkPaths: true }).errors).toStrictEqual([]);
    const states = Object.values(asl.States);
    expect(states.some((s) => s.Type === 'Task' && s.Resource.endsWith('.waitForTaskToken'))).toBe(false);
    expect(states.filter((s) => s.Type === 'Wait')).toStrictEqual([{ Type: 'Wait', Comment: 'Wait PT30S', Seconds: 30, Next: 'pause.left.later' }]);
  });

  it('parks at a wait for an event, resuming at next on the event and at onTimeout when due', () => {
    expect(asl.States.installed).toMatchObject({ Type: 'Task', End: true });
    expect(payload(asl.States.installed)).toStrictEqual({
      operation: 'park',
      stepId: 'installed',
      'state.$': '$',
      'machine.$': '$$.StateMachine.Id',
      resume: { due: 'installed.left.done', event: 'installed.left.pause' },
      event: 'app.installed',
      timeoutSeconds: 259_200,
    });
    expect(payload(asl.States.later)).toMatchObject({ operation: 'park', resume: { due: 'later.left.done' }, seconds: 86_400 });
  });

  it('starts a resumed segment where its continuation says, and fails one whose state this version lacks', () => {
    expect(asl.StartAt).toBe(RESUME_STATE);
    const router = asl.States[RESUME_STATE]!;
    expect(router.Type === 'Choice' && router.Choices.map((c) => c.Next)).toStrictEqual(['installed.left.done', 'installed.left.pause', 'later.left.done', FAILED_STATE]);
    expect(router.Type === 'Choice' && router.Default).toBe('nudge');
  });

  it('keeps the count tasks as marks in the tally: no Lambda call per count', () => {
    expect(asl.States['installed.count']).toStrictEqual({
      Type: 'Pass',
      Comment: 'Count a visit of installed (kept in the tally)',
      Result: { step: 'installed', count: 'entered', waits: true },
      ResultPath: '$.tally.installed_count',
      Next: 'installed',
    });
    const lambdas = Object.entries(asl.States).filter(([, s]) => s.Type === 'Task').map(([n]) => n);
    expect(lambdas.sort()).toStrictEqual([CLOSE_STATE, FAILED_STATE, 'SendFailed', 'installed', 'later', 'nudge'].sort());
  });

  it('closes the run at its end, and records a failure before failing', () => {
    expect(asl.States.done).toStrictEqual({ Type: 'Pass', Comment: 'The profile leaves the journey', Next: CLOSE_STATE });
    expect(payload(asl.States[CLOSE_STATE])).toStrictEqual({ operation: 'close', status: 'SUCCEEDED', 'state.$': '$' });
    expect(asl.States.SendFailed).toMatchObject({ Type: 'Task', Next: 'SendFailed.end' });
    expect(asl.States['SendFailed.end']).toMatchObject({ Type: 'Fail', Error: 'SendFailed' });
    // An uncaught failure of a task goes through the failed close too.
    expect((asl.States.nudge as TaskState).Catch!.at(-1)).toStrictEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: FAILED_STATE });
  });

  it('parks a short wait inside a loop: a segment visits each state once', () => {
    const loop = compileJourney(journeyOf({ send: { type: 'email', template: 't', next: 'pause' }, pause: { type: 'wait', for: 'PT10S', next: 'send' } }));
    expect(payload(loop.States.pause)).toMatchObject({ operation: 'park', seconds: 10 });
  });

  it('keeps Standard on request: the callback task and the Wait states as they were', () => {
    const standard = compileJourney(journeyOf({ ...Object.fromEntries(Object.entries(onboarding.steps)) }), { execution: 'standard' });
    expect((standard.States.installed as TaskState).Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(standard.States.later).toMatchObject({ Type: 'Wait', Seconds: 86_400 });
    expect(compileJourney({ ...onboarding, execution: 'standard' })).toStrictEqual(standard);
  });
});
