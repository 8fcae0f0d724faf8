import * as z from 'zod';
import { stepId } from '../ids';

// `for` and `until` are plain strings here: their grammar is checked by the bad-duration rule so that a
// mistake in one wait does not hide the other errors of the journey.
export const waitStep = z
  .strictObject({
    type: z.literal('wait'),
    for: z.string().optional(),
    until: z.string().optional(),
    next: stepId,
  })
  .meta({ description: 'Waits for an ISO 8601 duration (`for`) or until a timestamp (`until`).' });
export type WaitStep = z.infer<typeof waitStep>;
