import type { WaitForEventStep } from '../../schema/steps';
import { parseDuration } from '../../schema/duration';
import { LAMBDA_TRANSIENT_RETRY, type StepKind } from '../context';

/**
 * The callback pattern: the task hands its token to the wait function, which files it under the profile and
 * the awaited event type; the ingest path resumes it with SendTaskSuccess when a matching event arrives.
 * The matched event lands in `$.received.<step>`. One state; the profile costs nothing while it waits.
 */
export const waitForEvent: StepKind<WaitForEventStep> = {
  refs: (s) => [
    { path: ['next'], to: s.next },
    { path: ['onTimeout'], to: s.onTimeout },
  ],
  waits: true,
  profileAfter: () => 'stale',
  entry: (id) => id,
  states(s, ctx) {
    const timeout = parseDuration(s.timeout);
    return {
      [ctx.id]: {
        Type: 'Task',
        Comment: `Wait for ${s.event} (at most ${s.timeout})`,
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: ctx.resources.wait,
          Payload: {
            'taskToken.$': '$$.Task.Token',
            'executionId.$': '$$.Execution.Id',
            'journey.$': '$.journey',
            'profileId.$': '$.profileId',
            stepId: ctx.id,
            event: s.event,
            ...(s.where ? { where: s.where } : {}),
            timeoutSeconds: timeout.ok ? timeout.seconds : 0,
          },
        },
        TimeoutSeconds: timeout.ok ? timeout.seconds : 1,
        ResultPath: `$.received.${ctx.id}`,
        Retry: [LAMBDA_TRANSIENT_RETRY],
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: ctx.target(s.onTimeout) }],
        Next: ctx.target(s.next),
      },
    };
  },
};
