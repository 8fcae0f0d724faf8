import * as z from 'zod';
import { attributeName, eventType, modelId } from './ids';
import { parseDuration } from './duration';
import { cronSchema } from './campaign';

export { modelId };

// Propensity models (models/<id>.json): who is likely to do `goal.event` within `goal.within`, learned from
// the profiles' histories and attributes by logistic regression. Scores land on each profile as
// `profile.scores.<id>`, a probability between 0 and 1, which predicates and offer formulas read.

const window = z.string().refine((d) => { const r = parseDuration(d); return r.ok && r.seconds <= 180 * 86400; }, {
  error: (i) => {
    const parsed = parseDuration(String(i.input));
    return parsed.ok ? 'must be at most P180D (the history kept must cover the window twice: once to learn, once to score)' : parsed.reason;
  },
});

export const featureSchema = z.union(
  [
    z.strictObject({ count: eventType.describe('Events of this type'), within: window.describe('in this window before the moment scored') }),
    z.strictObject({ recency: eventType.describe('Days since the last event of this type'), within: window.default('P90D').describe('looked for in this window (none: the whole window)') }),
    z.strictObject({ attribute: attributeName.describe('A numeric attribute (missing: 0)') }),
    z.strictObject({ attribute: attributeName, equals: z.union([z.string(), z.number(), z.boolean()]).describe('1 when the attribute has this value, else 0') }),
  ],
  { error: 'a feature is { "count": <event>, "within": <duration> }, { "recency": <event> }, { "attribute": <name> } or { "attribute": <name>, "equals": <value> }' },
);
export type Feature = z.output<typeof featureSchema>;

export const modelSchema = z
  .strictObject({
    id: modelId,
    description: z.string().max(500).optional(),
    goal: z.strictObject({ event: eventType, within: window }).describe('What the score predicts: this event within this time'),
    features: z.array(featureSchema).min(1).max(30),
    schedule: z.strictObject({ cron: cronSchema }).default({ cron: '0 4 * * *' }).describe('When it trains and scores again (UTC); daily at 04:00 by default'),
    heldOut: z.number().min(0.05).max(0.5).default(0.2).describe('The share of profiles kept out of training to measure AUC and calibration'),
  })
  .meta({ description: 'A propensity model: models/<id>.json' });
export type Model = z.output<typeof modelSchema>;

/** The name of a feature in reports and in the trained model. */
export function featureName(f: Feature): string {
  if ('count' in f) return `count(${f.count}, ${f.within})`;
  if ('recency' in f) return `recency(${f.recency}, ${f.within})`;
  return 'equals' in f ? `${f.attribute} = ${JSON.stringify(f.equals)}` : f.attribute;
}
