import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { layoutOutline } from '../../../statemachines/render/layout';
import { buildJourneyReport, journeyScope, type ReportShape } from '../../domain/reports';
import type { Clock, LearnedStore, Log, ReportCounters } from '../../ports';
import { HttpError, httpErrors, json } from '../http';
import { modelId } from '../../../statemachines/schema/ids';

// GET /journeys/{id}/report?from&to&version: each step's counts in the period, the gauges as they are now, and
// the journey laid out for drawing (the report page draws it with the counts on it). GET /models/{id}/report:
// a model's last training (AUC, calibration), or the engagement pattern.

export const reportQuerySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional().describe('Start of the period (default: the beginning)'),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional().describe('End of the period (default: now)'),
    version: z.string().regex(/^[0-9a-f]{12}$/, 'must be a version id: 12 hex digits').optional().describe('One version of the journey (default: all)'),
  })
  .meta({ id: 'ReportQuery' });

const count = z.number().int();
const feedback = z.partialRecord(z.enum(['delivered', 'opened', 'clicked', 'bounced', 'complained']), count).describe('Delivery feedback of the step\'s messages');
export const journeyReportSchema = z
  .strictObject({
    journey: z.string(),
    title: z.string(),
    from: z.string(),
    to: z.string(),
    versions: z.array(z.string()).describe('Versions seen in the period'),
    totals: z.strictObject({
      entered: count,
      completed: count,
      failed: count,
      exited: z.record(z.string(), count).describe('Stopped by an exit criterion, by event type'),
      stopped: count.describe('Stopped for any reason: exits, goals that end the run, erasure'),
      goal: count,
      inFlight: count.describe('In the journey now (a gauge, not limited to the period)'),
      notEntered: z.record(z.string(), count).describe('Entry events that entered no one, by reason: in-journey (re-entry "not while in it"), no-reentry, no-correlation, input-too-large, arbitration (a journey of higher priority entered), journey-cap (rules.json journeyCaps)'),
    }),
    steps: z.record(
      z.string(),
      z.strictObject({
        entered: count.describe('Visits in the period'),
        waiting: count.optional().describe('Waits: in the step now'),
        sent: count.optional(),
        skipped: z.record(z.string(), count).optional().describe('By reason: consent, suppressed, frequency-cap, missing-address...'),
        failed: count.optional(),
        deferred: count.optional().describe('Held by quiet hours'),
        locales: z.record(z.string(), count).optional().describe('Messages sent by the template variant that went: a locale tag, or default'),
        feedback: feedback.optional(),
        groups: z
          .record(z.string(), z.strictObject({ sent: count, feedback }))
          .optional()
          .describe('By group: send time (timing.best, timing.held: the share sent at once) and channel choice (channel.<channel>): sends and their feedback'),
      }),
    ),
    graph: z.object({}).passthrough().describe('The journey laid out for drawing: width, height, nodes (x, y, width, height, kind, label), edges (points, label)'),
  })
  .meta({ id: 'JourneyReport' });

export const modelReportSchema = z
  .union([
    z.strictObject({
      id: z.string(),
      trainedAt: z.string().describe('When it trained: its features were read as of cutoff, its labels between cutoff and trainedAt'),
      cutoff: z.string(),
      features: z.array(z.string()),
      means: z.array(z.number()),
      scales: z.array(z.number()),
      coefficients: z.array(z.number()).describe('Intercept first, then one per feature, on standardised features'),
      rows: z.strictObject({ training: count, heldOut: count, positives: count }),
      auc: z.number().nullable().describe('Area under the ROC curve on the held-out profiles (null: they were all of one label)'),
      calibration: z.array(z.strictObject({ bucket: count, count, predicted: z.number(), observed: z.number() })).describe('Held-out profiles by predicted probability (bucket 0: 0-0.1 ... 9: 0.9-1)'),
    }),
    z.strictObject({ id: z.literal('engagement'), learnedAt: z.string(), profiles: count.describe('Profiles with engagement in the last 90 days'), pattern: z.array(z.number()).describe('Shares of engagement by hour of week, Monday 00:00 first') }),
  ])
  .meta({ id: 'ModelReport' });

export interface ReportApiDeps {
  /** What the report needs of a journey: written by its journey stack on AWS, from the workspace locally. */
  journeys: (id: string) => Promise<ReportShape | undefined>;
  /** Trained models and the engagement pattern (GET /models/{id}/report). */
  learned: Pick<LearnedStore, 'model' | 'pattern'>;
  counters: ReportCounters;
  clock: Clock;
  log: Log;
}

export function createReportApiHandler(deps: ReportApiDeps) {
  // The layout depends on the journey only: once per journey.
  const layouts = new Map<string, ReturnType<typeof layoutOutline>>();
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .handler(async (event) => {
      const id = event.pathParameters?.id ?? '';
      if (event.routeKey === 'GET /models/{id}/report') {
        const learned = id === 'engagement' ? await deps.learned.pattern().then((p) => p && { id, ...p }) : modelId.safeParse(id).success ? await deps.learned.model(id) : undefined;
        if (!learned) throw new HttpError(404, 'NotFound', `no trained model "${id.slice(0, 48)}"`);
        return json(200, learned);
      }
      const shape = await deps.journeys(id);
      if (!shape) throw new HttpError(404, 'NotFound', `no journey "${id.slice(0, 64)}"`);
      const query = reportQuerySchema.safeParse(event.queryStringParameters ?? {});
      if (!query.success) {
        const issues = query.error.issues.map((i) => ({ path: i.path.join('.') || 'query', message: i.message }));
        throw new HttpError(400, 'ValidationError', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
      }
      const to = query.data.to ? new Date(query.data.to) : deps.clock.now();
      const from = query.data.from ? new Date(query.data.from) : new Date(0);
      if (from > to) throw new HttpError(400, 'ValidationError', 'from: must not be after to', [{ path: 'from', message: 'must not be after to' }]);
      const rows = await deps.counters.read(journeyScope(id), from, to);
      const report = buildJourneyReport(id, rows, { from, to, ...(query.data.version ? { version: query.data.version } : {}) }, { steps: shape.steps, waiting: new Set(shape.waiting) });
      if (!layouts.has(id)) layouts.set(id, layoutOutline(shape.outline, { nodeHeight: 52, minWidth: 150 }));
      return json(200, { ...report, title: shape.outline.title, graph: layouts.get(id) });
    });
}
