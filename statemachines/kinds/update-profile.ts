import * as z from 'zod';
import { attributeName, stepId } from '../schema/ids';
import { dataPath } from '../schema/predicate';
import type { TaskPayload, UpdateProfileTask } from '../contract';
import { FILLS, type StepKind } from './kind';
import { effectTask } from './tasks';

const value = z.union([z.string(), z.number(), z.boolean(), z.null(), z.strictObject({ path: dataPath })], {
  error: 'a value is a string, number, boolean, null, or { "path": ... } to copy from the event or profile',
});

const schema = z
  .strictObject({
    type: z.literal('updateProfile'),
    set: z.record(attributeName, value).optional(),
    increment: z.record(attributeName, z.number()).optional(),
    unset: z.array(attributeName).max(50).optional(),
    next: stepId,
  })
  .superRefine((step, ctx) => {
    const names = [...Object.keys(step.set ?? {}), ...Object.keys(step.increment ?? {}), ...(step.unset ?? [])];
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'an updateProfile step needs at least one of set, increment or unset', input: step });
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) ctx.addIssue({ code: 'custom', message: `an attribute is changed once per step: ${[...new Set(twice)].join(', ')}`, input: step });
  })
  .meta({ description: 'Sets, increments or unsets profile attributes, once per visit however often the task is retried.' });
export type UpdateProfileStep = z.infer<typeof schema>;

/**
 * One Lambda task (the profile function). Like a send, the update is keyed by execution, step and visit
 * (`$.steps` carries each step's visits), so a retried task never increments twice. The stored profile changed, so
 * a later condition on it reloads it.
 */
export const updateProfile: StepKind<UpdateProfileStep> = {
  schema,
  refs: (s) => [{ path: ['next'], to: s.next }],
  waits: false,
  countsItself: false,
  profileAfter: () => 'stale',
  entry: (id) => id,
  label: () => 'update profile',
  look: { fill: FILLS.effect, shape: 'box' },
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: 'Update the profile',
      functionName: ctx.resources.profile,
      payload: {
        operation: 'update',
        stepId: ctx.id,
        'runId.$': '$.run.id',
        'profileId.$': '$.profileId',
        'event.$': '$.event',
        'steps.$': '$.steps',
        ...(s.set ? { set: s.set } : {}),
        ...(s.increment ? { increment: s.increment } : {}),
        ...(s.unset ? { unset: s.unset } : {}),
      } satisfies TaskPayload<UpdateProfileTask>,
      result: { 'visit.$': '$.Payload.visit' },
      next: ctx.target(s.next),
    }),
  }),
};
