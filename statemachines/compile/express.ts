import type { Catcher, ChoiceRule, State, StateMachineDefinition, TaskState, WaitState } from '../asl';
import {
  CLOSE_STATE,
  FAILED_STATE,
  RESUME_STATE,
  isCountState,
  stepOfState,
  tallyKey,
  type CloseTask,
  type CountTask,
  type ParkTask,
  type TallyMark,
  type TaskPayload,
  type TaskResources,
  type WaitTask,
} from '../contract';
import { isCycle, stronglyConnected } from '../scc';
import { LAMBDA_TRANSIENT_RETRY, RERUNNABLE_RETRY } from '../kinds/tasks';

/**
 * A wait this short stays inside the Express execution (its duration is billed, some $1 per million entrants
 * for 60 s at 64 MB, against some $3 for parking and resuming); longer ones park. Express executions last 5
 * minutes at most.
 */
export const INLINE_WAIT_MAX_SECONDS = 60;

/** Where the execution goes next, from each state. */
export function successors(state: State): string[] {
  const out: string[] = [];
  if ('Next' in state && typeof state.Next === 'string') out.push(state.Next);
  if (state.Type === 'Choice') out.push(...state.Choices.map((c) => c.Next), state.Default);
  if (state.Type === 'Task') out.push(...(state.Catch ?? []).map((c) => c.Next));
  return out;
}

/** The states inside a loop: a wait there parks whatever its length, so a segment visits each state once. */
function statesInLoops(definition: StateMachineDefinition): Set<string> {
  const next = (n: string) => successors(definition.States[n]!);
  const looping = stronglyConnected(Object.keys(definition.States), next).filter((c) => isCycle(c, next));
  return new Set(looping.flat());
}

const isWaitForEvent = (s: State): boolean => s.Type === 'Task' && s.Resource.endsWith('.waitForTaskToken');
const inline = (s: WaitState, looping: boolean) => !looping && s.Seconds !== undefined && s.Seconds <= INLINE_WAIT_MAX_SECONDS;

function parkTask(resources: TaskResources, name: string, comment: string, resume: ParkTask['resume'], due: Record<string, unknown>): TaskState {
  return {
    Type: 'Task',
    Comment: `Park: ${comment}`,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      FunctionName: resources.wait,
      Payload: { operation: 'park', stepId: stepOfState(name), 'state.$': '$', 'machine.$': '$$.StateMachine.Id', resume, ...due } satisfies TaskPayload<ParkTask>,
    },
    ResultPath: null,
    // Parking again is harmless (the continuation is written once), so any failure is worth retrying.
    Retry: [LAMBDA_TRANSIENT_RETRY, RERUNNABLE_RETRY],
    End: true,
  };
}

function closeTask(resources: TaskResources, status: CloseTask['status'], transition: { Next: string } | { End: true }): TaskState {
  return {
    Type: 'Task',
    Comment: status === 'SUCCEEDED' ? 'The run is over: record it, with the counts of this segment' : 'The run failed: record it, with the counts of this segment',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: resources.wait, Payload: { operation: 'close', status, 'state.$': '$' } satisfies TaskPayload<CloseTask> },
    ResultPath: null,
    Retry: [LAMBDA_TRANSIENT_RETRY, RERUNNABLE_RETRY],
    ...transition,
  } as TaskState;
}

/** A state that ended the execution goes to the close task instead. */
function toClose<S extends State>(state: S): S {
  if (!('End' in state) || !state.End) return state;
  const { End: _end, ...rest } = state as S & { End: true };
  return { ...rest, Next: CLOSE_STATE } as unknown as S;
}

/**
 * Turns a journey's Standard definition into its Express one: the same states, but
 * - a wait longer than INLINE_WAIT_MAX_SECONDS (or inside a loop), a wait until a timestamp, and a waitForEvent
 *   become a park task that ends the execution; the run resumes in a new one, at the state after the wait;
 * - the report's count tasks become Pass states that mark the visit in `$.tally`: the park or close task writes
 *   the segment's marks with the continuation or the run's end, in one transaction (no Lambda call each);
 * - the ends go through a close task (Express executions send no status change events), and so do failures.
 * Pure and deterministic, like the compiler it follows.
 */
export function toExpress(standard: StateMachineDefinition, resources: TaskResources): StateMachineDefinition {
  const looping = statesInLoops(standard);
  const States: Record<string, State> = {};
  const resumes: string[] = [];
  const resumeAt = (target: string) => {
    if (!resumes.includes(target)) resumes.push(target);
    return target;
  };
  const failTo = (name: string) => `${name}.end`;

  for (const [name, state] of Object.entries(standard.States)) {
    if (state.Type === 'Wait' && !inline(state, looping.has(name))) {
      const due = state.Seconds !== undefined ? { seconds: state.Seconds } : state.Timestamp !== undefined ? { until: state.Timestamp } : { 'until.$': state.TimestampPath };
      States[name] = parkTask(resources, name, state.Comment ?? name, { due: resumeAt(state.Next!) }, due);
    } else if (state.Type === 'Task' && isWaitForEvent(state)) {
      const payload = (state.Parameters as { Payload: WaitTask }).Payload;
      const timeout = state.Catch!.find((c) => c.ErrorEquals.includes('States.Timeout'))!.Next;
      States[name] = parkTask(resources, name, state.Comment ?? name, { due: resumeAt(timeout), event: resumeAt(state.Next!) }, {
        event: payload.event,
        ...(payload.where ? { where: payload.where } : {}),
        ...('since.$' in payload ? { since: 'entry' } : {}),
        timeoutSeconds: payload.timeoutSeconds,
      });
    } else if (state.Type === 'Task' && isCountState(name)) {
      const task = (state.Parameters as { Payload: CountTask }).Payload;
      const mark: TallyMark = { step: task.stepId, count: task.count, waits: task.waits };
      States[name] = { Type: 'Pass', Comment: `${state.Comment ?? name} (kept in the tally)`, Result: mark, ResultPath: `$.tally.${tallyKey(name)}`, Next: state.Next! };
    } else if (state.Type === 'Succeed') {
      States[name] = { Type: 'Pass', Comment: state.Comment ?? 'The end', Next: CLOSE_STATE };
    } else if (state.Type === 'Fail') {
      // Recorded as failed first, then failed as before.
      States[name] = closeTask(resources, 'FAILED', { Next: failTo(name) });
      States[failTo(name)] = state;
    } else if (state.Type === 'Task') {
      // Whatever a task fails with and nothing catches fails the run: record that, then fail.
      const catchAll: Catcher = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: FAILED_STATE };
      const caught = state.Catch?.some((c) => c.ErrorEquals.includes('States.ALL'));
      States[name] = toClose({ ...state, ...(caught ? {} : { Catch: [...(state.Catch ?? []), catchAll] }) });
    } else if ('End' in state && state.End) {
      States[name] = toClose(state);
    } else {
      States[name] = state;
    }
  }
  States[CLOSE_STATE] = closeTask(resources, 'SUCCEEDED', { End: true });
  // Where uncaught failures go, and a resume to a state this version lacks.
  if (resumes.length > 0 || Object.values(States).some((s) => s.Type === 'Task' && s.Catch?.some((c) => c.Next === FAILED_STATE))) {
    States[FAILED_STATE] = closeTask(resources, 'FAILED', { Next: failTo(FAILED_STATE) });
    States[failTo(FAILED_STATE)] = { Type: 'Fail', Comment: 'A step failed and nothing caught it', Error: 'StepFailed', Cause: 'A step of the journey failed' };
  }
  if (resumes.length === 0) return structuredClone({ ...standard, States });
  // A resumed segment starts where its continuation says; a new run at the journey's start.
  const router: State = {
    Type: 'Choice',
    Comment: 'A resumed run goes on where it parked',
    Choices: [
      ...resumes.map((target) => ({ And: [{ Variable: '$.resume.state', IsPresent: true }, { Variable: '$.resume.state', StringEquals: target }] as ChoiceRule[], Next: target })),
      // A state this version does not have: the run fails rather than start the journey again.
      { Variable: '$.resume.state', IsPresent: true, Next: FAILED_STATE },
    ],
    Default: standard.StartAt,
  };
  return structuredClone({ Comment: standard.Comment, StartAt: RESUME_STATE, States: { [RESUME_STATE]: router, ...States } });
}
