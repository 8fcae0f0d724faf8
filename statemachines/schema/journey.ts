import * as z from 'zod';
import { dataPath, predicateSchema } from './predicate';
import { eventType, journeyId, stepId } from './ids';
import { parseDuration } from './duration';
import { stepSchema } from '../kinds';
import { reentrySchema } from './reentry';

const eventPath = dataPath.refine((p) => p.startsWith('event.'), 'must be a path under event., such as event.properties.sku');

export const entrySchema = z
  .strictObject({
  event: eventType
    .optional()
    .describe('The event type that enters a profile into the journey. Left out: only jump steps and campaigns (journey) enter it; the workspace check asks that one does.'),
  when: predicateSchema.optional(),
  correlateBy: dataPath
    .refine((p) => p.startsWith('event.'), 'correlateBy reads the entering event: a path under event.')
    .optional()
    .describe('A value of the entering event (such as event.properties.orderId): the profile runs the journey once per value.'),
  fanOut: z
    .strictObject({
      key: eventPath.describe('The value of the catalog event that names what it is about, such as event.properties.sku'),
      profiles: z.strictObject({
        event: eventType.describe('The profile event that marks interest, such as product.viewed'),
        key: eventPath.describe('The same value in that event, such as event.properties.sku'),
        within: z.string().refine((d) => parseDuration(d).ok, 'must be an ISO 8601 duration of at most a year, such as P30D'),
      }),
      rateLimit: z.int().min(1).max(10_000).default(50).describe('Profiles entered per second'),
    })
    .optional()
    .describe('A catalog event (POST /catalog/events, no profile) enters every profile whose interest event had the same key value within the window, paced, once each'),
})
  .refine((e) => e.event !== undefined || e.when === undefined, { error: 'an entry condition needs an entry event (jumps and campaigns enter without one)', path: ['when'] })
  .refine((e) => e.fanOut === undefined || e.event !== undefined, { error: 'a fan-out entry needs the catalog event type (entry.event)', path: ['fanOut'] })
  .refine((e) => e.fanOut === undefined || (e.when === undefined && e.correlateBy === undefined), { error: 'a fan-out entry enters the profiles its index names: no when or correlateBy beside it', path: ['fanOut'] });

/** An event that matters to a profile in the journey: its type, and optionally a condition on it. */
const journeyEvent = z.strictObject({ event: eventType, where: predicateSchema.optional() });

export { reentrySchema };

export const goalSchema = journeyEvent
  .extend({
    within: z.string().describe('How long after entry the goal counts: an ISO 8601 duration.'),
    exit: z.boolean().optional().describe('Whether reaching the goal ends the profile\'s run.'),
  })
  .describe('The event that counts as a conversion.');

/** The journey without its steps: steps are parsed one by one so every mistake is reported at once. */
export const journeyEnvelope = z.strictObject({
  id: journeyId,
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  paused: z
    .boolean()
    .optional()
    .describe('true: the journey takes no new entries (no entry by its event; jumps and campaigns are refused and counted "not entered: paused"); runs under way go on. A draft, or a journey paused while it is changed'),
  entry: entrySchema,
  reentry: reentrySchema.optional(),
  exitOn: z.array(journeyEvent).min(1).max(10).optional().describe('Events that end the profile\'s run wherever it is, waits included.'),
  goal: goalSchema.optional(),
  priority: z
    .int()
    .min(0)
    .max(1000)
    .optional()
    .describe('Arbitration: when one event qualifies a profile for several journeys with a priority, only the highest enters (ties: the first id); the others count "not entered: arbitration"'),
  category: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 characters of a-z, 0-9 and -')
    .optional()
    .describe('The category rules.json journeyCaps may cap (such as marketing)'),
  report: z
    .enum(['steps', 'messages'])
    .optional()
    .describe('What the live report counts: "steps" (the default: every step, with a count task before steps without a function) or "messages" (entries, ends and message steps only, no count tasks: fewer state transitions)'),
  execution: z
    .enum(['express', 'standard'])
    .optional()
    .describe('How the journey runs: "express" (the default: short Express executions; a long wait or a wait for an event parks the run and a schedule or the event resumes it) or "standard" (one Standard execution per entrant, with its history in the console; billed per state transition)'),
  start: stepId,
  steps: z.record(z.string(), z.unknown()).refine((s) => Object.keys(s).length > 0, 'a journey needs at least one step'),
});

export const journeySchema = journeyEnvelope
  .extend({ steps: z.record(stepId, stepSchema) })
  .meta({ id: 'Journey', description: 'A journey definition (journeys/*.json in a workspace).' });

export type Journey = z.infer<typeof journeySchema>;
