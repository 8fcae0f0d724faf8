import * as z from 'zod';
import { eventType, stepId } from '../schema/ids';
import { predicateSchema } from '../schema/predicate';
import { parseDuration } from '../schema/duration';
import { describePredicate } from '../render/describe';
import type { TaskPayload, WaitTask } from '../contract';
import { FILLS, type StepKind } from './kind';
import { LAMBDA_TRANSIENT_RETRY } from './tasks';

// `timeout` is a plain string, checked by the bad-duration rule with the other durations.
const schema = z
  .strictObject({
    type: z.literal('waitForEvent'),
    event: eventType.describe('The event type to wait for, from the same profile.'),
    where: predicateSchema.optional().describe('Only an event for which this holds resumes the profile (paths under event. and profile.).'),
    timeout: z.string().describe('How long to wait at most: an ISO 8601 duration.'),
    since: z
      .literal('entry')
      .optional()
      .describe('"entry": a matching event the profile sent since it entered the journey, before the wait began, counts too (the wait ends at once). "Did they open the email?" asked after a wait.'),
    onTimeout: stepId,
    next: stepId,
  })
  .meta({ description: 'Waits until the profile sends a matching event (then `next`), or the timeout passes (then `onTimeout`).' });
export type WaitForEventStep = z.infer<typeof schema>;

/**
 * The callback pattern: the task hands its token to the wait function, which files it under the profile and
 * the awaited event type; the ingest path resumes it with SendTaskSuccess when a matching event arrives.
 * The matched event lands in `$.received.<step>`. One state; the profile costs nothing while it waits.
 */
export const waitForEvent: StepKind<WaitForEventStep> = {
  schema,
  refs: (s) => [
    { path: ['next'], to: s.next },
    { path: ['onTimeout'], to: s.onTimeout },
  ],
  waits: true,
  countsItself: false,
  profileAfter: () => 'stale',
  entry: (id) => id,
  label: (s) => `wait for ${s.event}${s.since ? ' (since entry)' : ''}`,
  edges: (_id, s) => [
    { to: s.next, label: s.where ? `${s.event} where ${describePredicate(s.where)}` : s.event },
    { to: s.onTimeout, label: `after ${parseDuration(s.timeout).ok ? s.timeout : '?'}` },
  ],
  look: { fill: FILLS.wait, shape: 'rounded' },
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
            'runId.$': '$.run.id',
            'journey.$': '$.journey',
            'profileId.$': '$.profileId',
            stepId: ctx.id,
            event: s.event,
            ...(s.where ? { where: s.where } : {}),
            ...(s.since ? { 'since.$': '$.run.enteredAt' } : {}),
            timeoutSeconds: timeout.ok ? timeout.seconds : 0,
          } satisfies TaskPayload<WaitTask>,
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
