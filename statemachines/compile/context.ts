import type { Catcher, Retrier, State, TaskState } from '../asl';
import type { Journey } from '../schema/journey';

/** Task resources, left as placeholders that CDK's definitionSubstitutions (or the local runtime) fill in. */
export interface TaskResources {
  send: string;
  profile: string;
  wait: string;
  jump: string;
  webhook: string;
  decide: string;
}
export const DEFAULT_RESOURCES: TaskResources = {
  send: '${SendFunctionArn}',
  profile: '${ProfileFunctionArn}',
  wait: '${WaitFunctionArn}',
  jump: '${JumpFunctionArn}',
  webhook: '${WebhookFunctionArn}',
  decide: '${DecideFunctionArn}',
};

/** Error names thrown by the send function, matched by the Retry and Catch of message steps. */
export const SEND_ERRORS = {
  /** The provider refused for now; nothing was sent. */
  throttled: 'SendThrottledError',
  /** Another attempt holds the send's claim and may still be sending. */
  inProgress: 'SendInProgressError',
  permanent: 'PermanentSendError',
} as const;

/** Shared state names start with a capital letter: step ids cannot, so they never collide. */
export const SEND_FAILED_STATE = 'SendFailed';
export const ACTION_FAILED_STATE = 'ActionFailed';

export interface StepContext {
  journey: Journey;
  id: string;
  resources: TaskResources;
  /** The state name that entering the given step goes to. */
  target(stepId: string): string;
  /** True when the profile in the state data may be stale here and a condition on it must reload it. */
  profileStale: boolean;
  /** The workspace has quiet hours: a send may answer "deferred until", and the step waits and sends again. */
  deferrableSends: boolean;
  /** The live report counts visits (count tasks). */
  counts: boolean;
}

/** A reference from one step to another, with the path of the field that holds it. */
export interface StepRef {
  path: PropertyKey[];
  to: string;
}

/** The references of a step that goes to `next`, or to `onError` when it fails for good. */
export function nextAndOnError(s: { next: string; onError?: string | undefined }): StepRef[] {
  return [{ path: ['next'], to: s.next }, ...(s.onError ? [{ path: ['onError'], to: s.onError }] : [])];
}

export interface StepKind<S> {
  /** The steps this one can go to, in a fixed order. */
  refs(step: S): StepRef[];
  /** Whether time passes in this step: a loop through it is not a busy loop. */
  waits: boolean;
  /**
   * The profile in the state data after this step: `fresh` (read just now), `stale` (time passed, or this
   * step changed the stored profile), or `unchanged` (as it was before the step).
   */
  profileAfter(step: S): 'fresh' | 'stale' | 'unchanged';
  /** The name of the state a transition into this step goes to. */
  entry(id: string, profileStale: boolean, step: S): string;
  /** The states of this step, the entry first. */
  states(step: S, ctx: StepContext): Record<string, State>;
}

/** Retries for transient faults of the Lambda service itself, on every Lambda task. */
/** For a Task that is safe to run again whatever failed (the jobs and campaign loops): after the Lambda faults. */
export const RERUNNABLE_RETRY = { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' as const };

export const LAMBDA_TRANSIENT_RETRY = {
  ErrorEquals: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 30,
  JitterStrategy: 'FULL' as const,
};

/** Report counting: the state that counts a visit of a step, and those that count a waiting step's leaving. */
export const countName = (id: string) => `${id}.count`;
export const leftName = (id: string, to: string) => `${id}.left.${to}`;
/** Whether a state is one of those counts: not part of the path a profile takes. */
export const isCountState = (name: string) => name.endsWith('.count') || name.includes('.left.');
/** The step a state belongs to (`survey.profile`, `survey.count` belong to `survey`): step ids have no dot. */
export const stepOfState = (name: string) => name.split('.')[0]!;

/**
 * A count task (the profile function): `entered` numbers the visit in `$.visits.<id>`, so a retry counts once;
 * `left` counts the same visit's leaving. A count that fails for good is dropped: a report never stops a run.
 */
export function countTask(resources: TaskResources, id: string, count: 'entered' | 'left', waits: boolean, next: string): TaskState {
  return {
    Type: 'Task',
    Comment: count === 'entered' ? `Count a visit of ${id}` : `Count ${id} leaving`,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: resources.profile, Payload: { operation: 'count', count, stepId: id, waits, 'journey.$': '$.journey', 'executionId.$': '$$.Execution.Id', 'visits.$': '$.visits' } },
    ResultSelector: { 'n.$': '$.Payload.n' },
    ResultPath: `$.visits.${id}`,
    Retry: [LAMBDA_TRANSIENT_RETRY, { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' }],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}

/** The name of the state that reloads the profile before a step that reads it. */
export const reloadName = (id: string) => `${id}.profile`;

/** Reloads the profile into `$.profile` (one Lambda call), then goes on to `next`. */
export function reloadProfile(ctx: StepContext, next: string): TaskState {
  return {
    Type: 'Task',
    Comment: `Reload the profile for ${ctx.id}`,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: ctx.resources.profile, Payload: { 'profileId.$': '$.profileId' } },
    ResultSelector: { 'id.$': '$.Payload.id', 'attributes.$': '$.Payload.attributes' },
    ResultPath: '$.profile',
    Retry: [LAMBDA_TRANSIENT_RETRY],
    Next: next,
  };
}

/**
 * The Task of a step with an effect: a Lambda invoked with the step's payload, its result (with the visit)
 * kept at `$.steps.<id>`, transient Lambda faults retried after the step's own retriers.
 */
export function effectTask(
  ctx: StepContext,
  task: {
    comment: string;
    functionName: string;
    payload: Record<string, unknown>;
    result: Record<string, string>;
    retry?: Retrier[];
    catch?: Catcher[];
    /** The next state; without it the run ends here. */
    next?: string;
  },
): TaskState {
  return {
    Type: 'Task',
    Comment: task.comment,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: task.functionName, Payload: task.payload },
    ResultSelector: task.result,
    ResultPath: `$.steps.${ctx.id}`,
    Retry: [...(task.retry ?? []), LAMBDA_TRANSIENT_RETRY],
    ...(task.catch ? { Catch: task.catch } : {}),
    ...(task.next !== undefined ? { Next: task.next } : { End: true as const }),
  };
}
