import * as z from 'zod';
import { attributeName, stepId } from '../ids';
import { dataPath } from '../predicate';

const value = z.union([z.string(), z.number(), z.boolean(), z.null(), z.strictObject({ path: dataPath })], {
  error: 'a value is a string, number, boolean, null, or { "path": ... } to copy from the event or profile',
});

export const updateProfileStep = z
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
export type UpdateProfileStep = z.infer<typeof updateProfileStep>;
