import * as z from 'zod';
import { CHANNELS, CHANNEL_NAMES, type Channel } from '../channels';
import { SEND_ERRORS, SEND_FAILED_STATE, deferredName, quietName, type SendTask, type TaskPayload } from '../contract';
import { stepId, templateName } from '../schema/ids';
import { FILLS, nextAndOnError, type StepKind } from './kind';
import { effectTask } from './tasks';

/** A message step: its type is its channel (channels.ts), and it sends a template of that channel. */
export type MessageStep<C extends Channel = Channel> = C extends Channel ? { type: C; template: string; next: string; onError?: string | undefined } : never;

/**
 * One Task per message, whatever the channel. The send function keys its ledger on execution, step and
 * visit: `steps` carries the visit count of each step, so a step inside a loop is a new send each time round
 * and a retry is not.
 */
function messageKind<C extends Channel>(channel: C): StepKind<MessageStep<C>> {
  const schema = z
    .strictObject({ type: z.literal(channel), template: templateName, next: stepId, onError: stepId.optional() })
    .meta({ description: CHANNELS[channel].step });
  return {
    schema: schema as unknown as z.ZodType<MessageStep<C>>,
    refs: nextAndOnError,
    waits: false,
    countsItself: true,
    profileAfter: () => 'unchanged',
    entry: (id) => id,
    label: (s) => `${channel} ${s.template}`,
    look: { fill: FILLS.message, shape: 'box' },
    states: (s, ctx) => {
      const task = effectTask(ctx, {
        comment: `${CHANNELS[channel].label} ${s.template}`,
        functionName: ctx.resources.send,
        payload: {
          channel,
          stepId: ctx.id,
          template: s.template,
          'journey.$': '$.journey',
          'runId.$': '$.run.id',
          'profileId.$': '$.profileId',
          'event.$': '$.event',
          'steps.$': '$.steps',
        } satisfies TaskPayload<SendTask>,
        result: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status', ...(ctx.deferrableSends ? { 'at.$': '$.Payload.at' } : {}) },
        retry: [
          { ErrorEquals: [SEND_ERRORS.throttled, SEND_ERRORS.inProgress], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
        ],
        catch: [{ ErrorEquals: [SEND_ERRORS.permanent], ResultPath: '$.error', Next: s.onError ? ctx.target(s.onError) : SEND_FAILED_STATE }],
        next: ctx.deferrableSends ? deferredName(ctx.id) : ctx.target(s.next),
      });
      if (!ctx.deferrableSends) return { [ctx.id]: task };
      // Quiet hours: the send answers "deferred" with the time the window ends; wait until then, send again.
      return {
        [ctx.id]: task,
        [deferredName(ctx.id)]: {
          Type: 'Choice',
          Comment: `Quiet hours: ${s.template} waits for the window's end`,
          Choices: [{ Variable: `$.steps.${ctx.id}.status`, StringEquals: 'deferred', Next: quietName(ctx.id) }],
          Default: ctx.target(s.next),
        },
        [quietName(ctx.id)]: { Type: 'Wait', TimestampPath: `$.steps.${ctx.id}.at`, Next: ctx.id },
      };
    },
  };
}

/** One message kind per channel. */
export const MESSAGE_KINDS = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, messageKind(c)])) as { [C in Channel]: StepKind<MessageStep<C>> };
export const isMessageStep = (step: { type: string }): step is MessageStep => Object.hasOwn(CHANNELS, step.type);
