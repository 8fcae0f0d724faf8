import * as z from 'zod';
import { channelSchema } from '../../statemachines/schema/template';
import { parseDuration } from '../../statemachines/schema/duration';
import type { FrequencyCap } from '../ports';

// rules.json at the workspace root: the business rules every send obeys, journeys and campaigns alike.
//   { "frequencyCaps": [{ "channel": "email", "category": "marketing", "max": 3, "within": "P7D" }],
//     "consent": { "optIn": ["newsletter"] } }

const cap = z.strictObject({
  channel: channelSchema,
  category: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 characters of a-z, 0-9 and -'),
  max: z.int().min(1).max(1000),
  within: z.string().refine((d) => parseDuration(d).ok, { error: (i) => (parseDuration(String(i.input)) as { reason: string }).reason }),
});

const categoryName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 characters of a-z, 0-9 and -');
const duration = z.string().refine((d) => parseDuration(d).ok, { error: (i) => (parseDuration(String(i.input)) as { reason: string }).reason });

/** Entry caps per profile: at most `max` entries `within` a period, or at most `concurrent` journeys at once. */
const journeyCap = z
  .strictObject({
    category: categoryName.optional().describe('Only journeys of this category count, and only they are capped'),
    max: z.int().min(1).max(1000).optional(),
    within: duration.optional(),
    concurrent: z.int().min(1).max(100).optional(),
  })
  .refine((c) => (c.max !== undefined) === (c.within !== undefined) && (c.max !== undefined) !== (c.concurrent !== undefined), {
    error: 'a journey cap is either { max, within } (entries in a period) or { concurrent } (journeys at once)',
  });
export type JourneyCap = z.output<typeof journeyCap>;

export const rulesSchema = z.strictObject({
  frequencyCaps: z.array(cap).max(50).default([]),
  journeyCaps: z.array(journeyCap).max(20).default([]).describe('Caps on journey entries per profile, checked when a journey with an entry event would enter'),
  /** Lists (template categories) that need a yes before anything is sent; the others need only no "no". */
  /** Sends of these categories wait until `end` when it is between `start` and `end` where the profile is. */
  quietHours: z
    .strictObject({
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 24-hour'),
      end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 24-hour'),
      categories: z.array(z.string()).min(1).default(['marketing']),
    })
    .optional(),
  /** The deliverability guard's thresholds (defaults: 5% bounces, 0.1% complaints, judged from 100 sends a day). */
  deliverability: z
    .strictObject({ maxBounceRate: z.number().gt(0).lt(1).default(0.05), maxComplaintRate: z.number().gt(0).lt(1).default(0.001), minSends: z.int().min(1).default(100) })
    .default({ maxBounceRate: 0.05, maxComplaintRate: 0.001, minSends: 100 }),
  consent: z.strictObject({ optIn: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 characters of a-z, 0-9 and -')).default([]) }).default({ optIn: [] }),
  /** Who gets proofs (test sends) of a template: POST /templates/{id}/proof names a list. */
  proofLists: z
    .record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'list names are 1-32 characters of a-z, 0-9 and -'), z.array(z.email({ error: 'must be an email address' })).min(1).max(50))
    .default({})
    .describe('Proof lists by name: the email addresses a proof of a template goes to.'),
});
export type Rules = z.output<typeof rulesSchema>;

export function frequencyCapsOf(rules: Rules): FrequencyCap[] {
  return rules.frequencyCaps.map((c) => ({ channel: c.channel, category: c.category, max: c.max, windowSeconds: (parseDuration(c.within) as { seconds: number }).seconds }));
}
