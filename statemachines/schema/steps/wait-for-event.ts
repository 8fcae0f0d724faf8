import * as z from 'zod';
import { eventType, stepId } from '../ids';
import { predicateSchema } from '../predicate';

// `timeout` is a plain string, checked by the bad-duration rule with the other durations.
export const waitForEventStep = z
  .strictObject({
    type: z.literal('waitForEvent'),
    event: eventType.describe('The event type to wait for, from the same profile.'),
    where: predicateSchema.optional().describe('Only an event for which this holds resumes the profile (paths under event. and profile.).'),
    timeout: z.string().describe('How long to wait at most: an ISO 8601 duration.'),
    onTimeout: stepId,
    next: stepId,
  })
  .meta({ description: 'Waits until the profile sends a matching event (then `next`), or the timeout passes (then `onTimeout`).' });
export type WaitForEventStep = z.infer<typeof waitForEventStep>;
