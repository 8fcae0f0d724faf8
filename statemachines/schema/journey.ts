import * as z from 'zod';
import { predicateSchema } from './predicate';
import { eventType, journeyId, stepId } from './ids';
import { stepSchema } from './steps';

export const entrySchema = z.strictObject({
  event: eventType.describe('The event type that enters a profile into the journey.'),
  when: predicateSchema.optional(),
});

/** The journey without its steps: steps are parsed one by one so every mistake is reported at once. */
export const journeyEnvelope = z.strictObject({
  id: journeyId,
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  entry: entrySchema,
  start: stepId,
  steps: z.record(z.string(), z.unknown()).refine((s) => Object.keys(s).length > 0, 'a journey needs at least one step'),
});

export const journeySchema = journeyEnvelope
  .extend({ steps: z.record(stepId, stepSchema) })
  .meta({ id: 'Journey', description: 'A journey definition (journeys/*.json in a workspace).' });

export type Journey = z.infer<typeof journeySchema>;
