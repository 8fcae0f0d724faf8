import { describe, expect, it } from 'vitest';
import { resume, tallyCounts } from '../../functions/domain/continuations';
import type { Continuation, StartRequest, WaitingItem, WaitingRef, WaitingStore } from '../../functions/ports';

const continuation: Continuation = {
  runId: 'run-1',
  segment: 0,
  machine: 'arn:aws:states:us-east-1:1:stateMachine:j-onboarding',
  journey: { id: 'onboarding', version: 'abc123abc123' },
  stepId: 'installed',
  due: '2026-12-03T00:00:00.000Z',
  resume: { due: 'installed.left.done', event: 'installed.left.tips' },
  state: { journey: { id: 'onboarding', version: 'abc123abc123' }, profileId: 'ada', run: { id: 'run-1', correlation: '-', segment: 0 }, steps: {} },
  parkedAt: '2026-11-30T00:00:00.000Z',
  status: 'parked',
};
const ref: WaitingRef = { profileId: 'ada', eventType: 'app.installed', key: 'run-1#0' };

/** A waits store holding one continuation, consumed by the first trigger (and by that trigger again). */
function store(): WaitingStore {
  let by: string | undefined;
  return {
    consume: async (_ref, trigger) => {
      if (by !== undefined && by !== trigger) return undefined;
      by = trigger;
      return { ...ref, journeyId: 'onboarding', stepId: 'installed', expiresAt: 0, continuation: { ...continuation, status: 'resumed', resumedBy: trigger } } as WaitingItem;
    },
  } as WaitingStore;
}

function deps(versions?: Record<string, string>) {
  const started: StartRequest[] = [];
  const cancelled: WaitingRef[] = [];
  return {
    started,
    cancelled,
    deps: {
      waits: store(),
      executions: { start: async (r: StartRequest) => (started.push(r), 'started' as const), stop: async () => undefined },
      schedules: { schedule: async () => undefined, cancel: async (r: WaitingRef) => void cancelled.push(r) },
      ...(versions ? { versions: { arnOf: async (id: string, v: string) => versions[`${id}:${v}`] } } : {}),
    },
  };
}

describe('resuming a parked run', () => {
  it('starts the next segment on the version the run entered, at the state its trigger says', async () => {
    const { started, deps: d } = deps({ 'onboarding:abc123abc123': 'arn:aws:states:us-east-1:1:stateMachine:j-onboarding:7' });
    await expect(resume(ref, { kind: 'due' }, d)).resolves.toBe('resumed');
    expect(started).toStrictEqual([
      {
        stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:j-onboarding:7',
        name: 'run-1-1',
        input: { ...continuation.state, run: { id: 'run-1', correlation: '-', segment: 1 }, tally: {}, resume: { state: 'installed.left.done' } },
      },
    ]);
  });

  it('on the machine the segment ran on when no version is recorded; an event lands in $.received and deletes the schedule', async () => {
    const { started, cancelled, deps: d } = deps();
    const event = { id: 'e-1', type: 'app.installed', profileId: 'ada', timestamp: '2026-12-01T00:00:00.000Z', properties: {} };
    await expect(resume(ref, { kind: 'event', event }, d)).resolves.toBe('resumed');
    expect(started[0]).toMatchObject({ stateMachineArn: continuation.machine, input: { resume: { state: 'installed.left.tips' }, received: { installed: event } } });
    expect(cancelled).toStrictEqual([ref]);
    // The schedule, firing after the event won: nothing starts.
    await expect(resume(ref, { kind: 'due' }, d)).resolves.toBe('gone');
    expect(started).toHaveLength(1);
  });

  it('counts a segment\'s marks; the waiting step entered last holds no one when the run does not park', () => {
    const state = { ...continuation.state, tally: { installed_count: { step: 'installed', count: 'entered' as const, waits: true }, 'has-app_count': { step: 'has-app', count: 'entered' as const, waits: false } } } as never;
    expect(tallyCounts(state).filter((c) => c.gauge)).toHaveLength(1);
    expect(tallyCounts(state, false).filter((c) => c.gauge)).toHaveLength(0);
    expect(tallyCounts(state, false)).toHaveLength(2);
  });
});
