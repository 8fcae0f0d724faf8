import type { Catcher, Retrier, TaskState } from '../asl';
import { type CountTask, type TaskPayload, type TaskResources } from '../contract';
import type { StepContext } from './kind';

// The Task states steps share: retriers, the report's count task, the profile reload, a step's effect task.

/** For a Task that is safe to run again whatever failed (the jobs and campaign loops): after the Lambda faults. */
export const RERUNNABLE_RETRY = { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' as const };

/** Retries for transient faults of the Lambda service itself, on every Lambda task. */
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

/**
 * A count task (the profile function): `entered` numbers the visit in `$.visits.<id>`, so a retry counts once;
 * `left` counts the same visit's leaving. A count that fails for good is dropped: a report never stops a run.
 */
export function countTask(resources: TaskResources, id: string, count: CountTask['count'], waits: boolean, next: string): TaskState {
  return {
    Type: 'Task',
    Comment: count === 'entered' ? `Count a visit of ${id}` : `Count ${id} leaving`,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: resources.profile, Payload: { operation: 'count', count, stepId: id, waits, 'journey.$': '$.journey', 'runId.$': '$.run.id', 'visits.$': '$.visits' } satisfies TaskPayload<CountTask> },
    ResultSelector: { 'n.$': '$.Payload.n' },
    ResultPath: `$.visits.${id}`,
    Retry: [LAMBDA_TRANSIENT_RETRY, { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' }],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}

/** Reloads the profile into `$.profile` (one Lambda call), then goes on to `next`. */
export function reloadProfile(ctx: StepContext, next: string): TaskState {
  return {
    Type: 'Task',
    Comment: `Reload the profile for ${ctx.id}`,
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: ctx.resources.profile, Payload: { 'profileId.$': '$.profileId' } },
    ResultSelector: { 'id.$': '$.Payload.id', 'attributes.$': '$.Payload.attributes', 'scores.$': '$.Payload.scores' },
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
