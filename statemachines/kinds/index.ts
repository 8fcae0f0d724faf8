import * as z from 'zod';
import type { StepKind } from './kind';
import { condition } from './condition';
import { split } from './split';
import { MESSAGE_KINDS, messageChoice } from './message';
import { wait } from './wait';
import { waitForEvent } from './wait-for-event';
import { updateProfile } from './update-profile';
import { webhook } from './webhook';
import { decide } from './decide';
import { jump } from './jump';
import { end } from './end';

// The step kinds of the journey language, listed once. The step schema, the validator's graph rules, the
// compiler, the drawings and the report's list of waiting steps all derive from this table.

const KINDS = { condition, split, ...MESSAGE_KINDS, message: messageChoice, wait, waitForEvent, updateProfile, webhook, decide, jump, end };

type KindStep<K> = K extends StepKind<infer S> ? S : never;
/** A step of any kind. */
export type Step = { [K in keyof typeof KINDS]: KindStep<(typeof KINDS)[K]> }[keyof typeof KINDS];
export type StepType = Step['type'];
export type StepOf<K extends StepType> = Extract<Step, { type: K }>;

export const STEP_KINDS = Object.keys(KINDS) as StepType[];

export const stepSchema = z.discriminatedUnion(
  'type',
  Object.values(KINDS).map((k) => k.schema) as unknown as [z.ZodObject, ...z.ZodObject[]],
  { error: `type must be one of ${STEP_KINDS.join(', ')}` },
) as unknown as z.ZodType<Step>;

/** The descriptor of a step's kind, typed for that step. */
export function kindOf<S extends Step>(step: S): StepKind<S> {
  return KINDS[step.type] as unknown as StepKind<S>;
}

/** Kinds by name: whether a kind waits, counts itself, how it looks. */
export function kindNamed(type: StepType): StepKind<Step> {
  return KINDS[type] as unknown as StepKind<Step>;
}

export type { StepKind, StepContext, StepRef, StepEdge, Look } from './kind';
export type { ConditionStep } from './condition';
export type { SplitStep } from './split';
export type { MessageStep, ChoiceStep, ChannelOption } from './message';
export type { WaitStep } from './wait';
export type { WaitForEventStep } from './wait-for-event';
export type { UpdateProfileStep } from './update-profile';
export type { WebhookStep } from './webhook';
export type { DecideStep } from './decide';
export type { JumpStep } from './jump';
export type { EndStep } from './end';
export { isMessageStep, templatesOf } from './message';
export { splitThresholds } from './split';
