import * as z from 'zod';
import { stepId } from '../ids';
import { dataPath } from '../predicate';

// `for` and a literal `until` are plain strings here: their grammar is checked by the bad-duration rule so
// that a mistake in one wait does not hide the other errors of the journey.
export const waitStep = z
  .strictObject({
    type: z.literal('wait'),
    for: z.string().optional(),
    until: z.union([z.string(), z.strictObject({ path: dataPath })], { error: 'until is a timestamp or { "path": ... }' }).optional(),
    next: stepId,
  })
  .meta({ description: 'Waits for an ISO 8601 duration (`for`), until a timestamp, or until a timestamp read from the data (`until`).' });
export type WaitStep = z.infer<typeof waitStep>;
