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
    atLocalTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'atLocalTime is a 24-hour time, HH:MM, such as 09:00')
      .optional()
      .describe("Waits until this time of day in the profile's time zone (attribute timeZone; UTC when missing)."),
    days: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
      .min(1)
      .max(7)
      .optional()
      .describe('With atLocalTime: only on these days of the week.'),
    next: stepId,
  })
  .superRefine((s, ctx) => {
    if (s.days && s.atLocalTime === undefined) ctx.addIssue({ code: 'custom', path: ['days'], message: 'days go with atLocalTime', input: s.days });
  })
  .meta({ description: 'Waits for an ISO 8601 duration (`for`), until a timestamp, or until a timestamp read from the data (`until`).' });
export type WaitStep = z.infer<typeof waitStep>;
