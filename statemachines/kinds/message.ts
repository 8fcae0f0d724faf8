import * as z from 'zod';
import { CHANNELS, CHANNEL_NAMES, type Channel } from '../channels';
import type { State } from '../asl';
import { SEND_ERRORS, SEND_FAILED_STATE, deferredName, localTimeWaitName, quietName, timingName, type BestTimeTask, type SendTask, type TaskPayload } from '../contract';
import { stepId, templateName } from '../schema/ids';
import { audienceId } from '../schema/audience';
import { SEND_WINDOW_DEFAULT, sendWindow, windowSeconds } from '../schema/send-window';
import { FILLS, nextAndOnError, type StepContext, type StepKind } from './kind';
import { LAMBDA_TRANSIENT_RETRY, effectTask } from './tasks';

/** Send-time optimisation, on any message step: each person's best hour within `within` (see send-time.ts). */
export interface SendTiming {
  sendTime?: 'best' | undefined;
  within?: string | undefined;
  holdout?: number | undefined;
}

/** A message step: its type is its channel (channels.ts), and it sends a template of that channel. */
export type MessageStep<C extends Channel = Channel> = C extends Channel ? { type: C; template: string; next: string; onError?: string | undefined } & SendTiming : never;

/** One option of a channel choice. */
export interface ChannelOption {
  channel: Channel;
  template: string;
}

/** A message step that picks the channel per person: `choose: "best"` among `channels` (channel-choice.ts). */
export interface ChoiceStep extends SendTiming {
  type: 'message';
  choose: 'best';
  channels: ChannelOption[];
  /** Audiences that learn apart: a profile in one of them (the first) learns from and feeds that audience's counts. */
  learnBy?: string[] | undefined;
  next: string;
  onError?: string | undefined;
}

const timingFields = {
  sendTime: z.literal('best').optional().describe("Sends at each person's best hour, learned from their opens and clicks (by hour of week, shrunk towards everyone's pattern)"),
  within: sendWindow.optional(),
  holdout: z.number().min(0).max(0.5).optional().describe('With sendTime: the share sent at once, to measure the lift (0.1 is 10%)'),
};

function checkTiming(s: SendTiming, ctx: z.RefinementCtx): void {
  for (const key of ['within', 'holdout'] as const) {
    if (s[key] !== undefined && s.sendTime === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} goes with "sendTime": "best"`, input: s[key] });
  }
}

/** The best-time task, and the wait it feeds (skipped when the best time is now), before the send. */
function timingStates(s: SendTiming, ctx: StepContext): Record<string, State> {
  if (!s.sendTime) return {};
  const task = timingName(ctx.id);
  return {
    [task]: {
      Type: 'Task',
      Comment: `${ctx.id}: the best hour within ${s.within ?? SEND_WINDOW_DEFAULT}`,
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: ctx.resources.profile,
        Payload: {
          operation: 'bestTime',
          'profileId.$': '$.profileId',
          'runId.$': '$.run.id',
          'journeyId.$': '$.journey.id',
          stepId: ctx.id,
          withinSeconds: windowSeconds(s.within),
          holdout: s.holdout ?? 0,
        } satisfies TaskPayload<BestTimeTask>,
      },
      ResultSelector: { 'at.$': '$.Payload.at', 'group.$': '$.Payload.group', 'now.$': '$.Payload.now' },
      ResultPath: `$.timing.${ctx.id}`,
      Retry: [LAMBDA_TRANSIENT_RETRY],
      Next: `${task}?`,
    },
    [`${task}?`]: { Type: 'Choice', Comment: 'Now is the best time: no wait', Choices: [{ Variable: `$.timing.${ctx.id}.now`, BooleanEquals: true, Next: ctx.id }], Default: localTimeWaitName(task) },
    [localTimeWaitName(task)]: { Type: 'Wait', Comment: `${ctx.id}: wait for the best hour`, TimestampPath: `$.timing.${ctx.id}.at`, Next: ctx.id },
  };
}

/** The send Task (and its quiet-hours wait), for one channel or a choice of them. */
function sendStates(s: { next: string; onError?: string | undefined } & SendTiming, ctx: StepContext, what: { channel: string; template: string; choices?: ChannelOption[]; learnBy?: string[] | undefined; label: string }): Record<string, State> {
  const task = effectTask(ctx, {
    comment: what.label,
    functionName: ctx.resources.send,
    payload: {
      channel: what.channel,
      stepId: ctx.id,
      template: what.template,
      ...(what.choices ? { choices: what.choices } : {}),
      ...(what.learnBy ? { learnBy: what.learnBy } : {}),
      ...(s.sendTime ? { 'timing.$': `$.timing.${ctx.id}.group` } : {}),
      'journey.$': '$.journey',
      'runId.$': '$.run.id',
      'profileId.$': '$.profileId',
      'event.$': '$.event',
      'steps.$': '$.steps',
    } satisfies TaskPayload<SendTask>,
    result: { 'visit.$': '$.Payload.visit', 'status.$': '$.Payload.status', ...(what.choices ? { 'channel.$': '$.Payload.channel' } : {}), ...(ctx.deferrableSends ? { 'at.$': '$.Payload.at' } : {}) },
    retry: [
      { ErrorEquals: [SEND_ERRORS.throttled, SEND_ERRORS.inProgress], IntervalSeconds: 1, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
    ],
    catch: [{ ErrorEquals: [SEND_ERRORS.permanent], ResultPath: '$.error', Next: s.onError ? ctx.target(s.onError) : SEND_FAILED_STATE }],
    next: ctx.deferrableSends ? deferredName(ctx.id) : ctx.target(s.next),
  });
  const states: Record<string, State> = { ...timingStates(s, ctx), [ctx.id]: task };
  if (!ctx.deferrableSends) return states;
  // Quiet hours: the send answers "deferred" with the time the window ends; wait until then, send again.
  return {
    ...states,
    [deferredName(ctx.id)]: {
      Type: 'Choice',
      Comment: `Quiet hours: ${what.template} waits for the window's end`,
      Choices: [{ Variable: `$.steps.${ctx.id}.status`, StringEquals: 'deferred', Next: quietName(ctx.id) }],
      Default: ctx.target(s.next),
    },
    [quietName(ctx.id)]: { Type: 'Wait', TimestampPath: `$.steps.${ctx.id}.at`, Next: ctx.id },
  };
}

const timingLabel = (s: SendTiming) => (s.sendTime ? ` at the best hour within ${s.within ?? SEND_WINDOW_DEFAULT}` : '');

/**
 * One Task per message, whatever the channel. The send function keys its ledger on execution, step and
 * visit: `steps` carries the visit count of each step, so a step inside a loop is a new send each time round
 * and a retry is not. With `sendTime: "best"`, a task first answers the person's best hour, and a Wait holds
 * the run until then: an ordinary wait, which parks an Express journey as any other does.
 */
/** What a message kind and the choice kind share: ways out, the send counts itself, the best-time entry. */
const sendsOnce = {
  refs: nextAndOnError,
  waits: false,
  countsItself: true,
  profileAfter: (s: SendTiming) => (s.sendTime ? 'stale' : 'unchanged'),
  entry: (id: string, _stale: boolean, s: SendTiming) => (s.sendTime ? timingName(id) : id),
  look: { fill: FILLS.message, shape: 'box' },
} as const satisfies Pick<StepKind<SendTiming & { next: string }>, 'refs' | 'waits' | 'countsItself' | 'profileAfter' | 'entry' | 'look'>;

function messageKind<C extends Channel>(channel: C): StepKind<MessageStep<C>> {
  const schema = z
    .strictObject({ type: z.literal(channel), template: templateName, ...timingFields, next: stepId, onError: stepId.optional() })
    .superRefine(checkTiming)
    .meta({ description: CHANNELS[channel].step });
  return {
    ...sendsOnce,
    schema: schema as unknown as z.ZodType<MessageStep<C>>,
    label: (s) => `${channel} ${s.template}${timingLabel(s)}`,
    states: (s, ctx) => sendStates(s, ctx, { channel, template: s.template, label: `${CHANNELS[channel].label} ${s.template}` }),
  };
}

/** One message kind per channel. */
export const MESSAGE_KINDS = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, messageKind(c)])) as { [C in Channel]: StepKind<MessageStep<C>> };
export const isMessageStep = (step: { type: string }): step is MessageStep => Object.hasOwn(CHANNELS, step.type);

const choiceSchema = z
  .strictObject({
    type: z.literal('message'),
    choose: z.literal('best').describe("Picks, per person, the channel that engages best (a bandit per segment, with exploration) among those they consented to and can be reached on"),
    channels: z
      .array(z.strictObject({ channel: z.enum(CHANNEL_NAMES as [Channel, ...Channel[]]), template: templateName }))
      .min(2)
      .max(CHANNEL_NAMES.length)
      .refine((o) => new Set(o.map((c) => c.channel)).size === o.length, 'each channel at most once')
      .describe('The channels to choose from, each with its template'),
    learnBy: z.array(audienceId).max(10).optional().describe('Audiences that learn apart (the first a profile is in); everyone else learns together'),
    ...timingFields,
    next: stepId,
    onError: stepId.optional(),
  })
  .superRefine(checkTiming)
  .meta({ description: "Sends one message on the channel that engages this person best: `channels` lists the options, each with its template." });

export const messageChoice: StepKind<ChoiceStep> = {
  ...sendsOnce,
  schema: choiceSchema as unknown as z.ZodType<ChoiceStep>,
  label: (s) => `best of ${s.channels.map((c) => c.channel).join(', ')}${timingLabel(s)}`,
  states: (s, ctx) => sendStates(s, ctx, { channel: s.channels[0]!.channel, template: s.channels[0]!.template, choices: s.channels, learnBy: s.learnBy, label: `Best of ${s.channels.map((c) => c.channel).join(', ')}` }),
};

/** The templates a message step sends, with their channels. */
export function templatesOf(step: { type: string }): ChannelOption[] {
  if (step.type === 'message') return (step as ChoiceStep).channels;
  return isMessageStep(step) ? [{ channel: step.type, template: step.template }] : [];
}
