import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { errorSchema, eventBatchSchema, eventSchema, ingestResponseSchema } from '../functions/handlers/ingest/schema';
import { profileWriteSchema } from '../functions/handlers/ingest/profile-write';
import { decisionRequestSchema } from '../functions/handlers/decision-api/app';
import { campaignReportSchema, runReportSchema, runStatusSchema, triggerSchema, triggeredSchema } from '../functions/handlers/campaign-api/app';
import { journeyReportSchema } from '../functions/handlers/report-api/app';
import { audienceJobSchema, erasureSchema, exportStartedSchema, profileExportSchema, profileSchema } from '../functions/handlers/profile-api/schema';
import { IDENTITY_TYPES } from '../functions/domain/identity';
import { batchItem, segmentAlias, segmentBatch, segmentIdentify, segmentTrack, segmentView } from '../functions/handlers/ingest/segment';

// The API reference, generated from the same zod schemas the handlers validate with: `npm run docs`.

export function buildOpenApi(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of [
    ['Event', eventSchema],
    ['EventBatch', eventBatchSchema],
    ['IngestResult', ingestResponseSchema],
    ['Error', errorSchema],
    ['SegmentTrack', segmentTrack],
    ['SegmentIdentify', segmentIdentify],
    ['SegmentAlias', segmentAlias],
    ['SegmentBatch', segmentBatch],
    ['ProfileWrite', profileWriteSchema],
    ['Profile', profileSchema],
    ['ProfileExport', profileExportSchema],
    ['Erasure', erasureSchema],
    ['AudienceExportStarted', exportStartedSchema],
    ['AudienceJob', audienceJobSchema],
    ['CampaignTrigger', triggerSchema],
    ['DecisionRequest', decisionRequestSchema],
    ['CampaignTriggered', triggeredSchema],
    ['CampaignRun', runReportSchema],
    ['CampaignRunStatus', runStatusSchema],
    ['CampaignReport', campaignReportSchema],
    ['JourneyReport', journeyReportSchema],
  ] as const) {
    registry.add(schema, { id });
  }
  registry.add(segmentView, { id: 'SegmentPageOrScreen' });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
    // A batch item is checked by its type in code; described here as what it is.
    override: (ctx) => {
      if (ctx.zodSchema === batchItem) {
        ctx.jsonSchema.oneOf = ['SegmentTrack', 'SegmentIdentify', 'SegmentPageOrScreen', 'SegmentAlias'].map((id) => ({ $ref: `#/components/schemas/${id}` }));
      }
    },
  });
  for (const schema of Object.values(schemas)) {
    delete (schema as { $schema?: string }).$schema;
    delete (schema as { $id?: string }).$id;
  }
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
  const profileWrite = (summary: string) => ({
    summary,
    description: 'Applied as a `profile.updated` event through the ingest path: stitched, kept in the history, seen by journeys and audiences. Send an Idempotency-Key header to make a retry a no-op.',
    parameters: [{ name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } }],
    requestBody: { required: true, content: { 'application/json': { schema: ref('ProfileWrite') } } },
    responses: {
      '200': json(ref('Profile'), 'The profile as stored'),
      '400': json(ref('Error'), 'ValidationError: names each field (reserved attribute names, unknown identity types, wrong types), PayloadTooLarge (over 256 KB)'),
      '500': json(ref('Error'), 'InternalError: safe to send the same request again'),
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'open-journeys API',
      version: '0.1.0',
      description:
        'Events in, journeys out. Every route needs the API key (AWS: the key in the ApiKeySecretArn secret; locally: local-dev-key), as `Authorization: Bearer <key>`, or, as Segment SDKs send it, `Authorization: Basic base64(<key>:)`.',
    },
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, checked by the Lambda authorizer.' },
        writeKey: { type: 'http', scheme: 'basic', description: 'Segment style: the API key as the user name, no password.' },
      },
    },
    security: [{ apiKey: [] }, { writeKey: [] }],
    paths: {
      ...Object.fromEntries(
        (
          [
            ['/v1/track', 'SegmentTrack', 'Segment track: an event of the profile (userId, or anonymousId before the person is known)'],
            ['/v1/identify', 'SegmentIdentify', 'Segment identify: traits merged into the profile as attributes (event type `identify`); with userId and anonymousId, the anonymous profile is stitched into the known one'],
            ['/v1/alias', 'SegmentAlias', 'Segment alias: previousId (an anonymousId) is userId; the anonymous profile is merged into the known one (event type `alias`)'],
            ['/v1/batch', 'SegmentBatch', 'Segment batch: up to 100 track, identify, page, screen or alias messages, validated as a whole'],
          ] as const
        ).map(([path, schema, summary]) => [
          path,
          {
            post: {
              summary,
              description: 'The Segment HTTP tracking API, so Segment SDKs send here unchanged (point their host at this API). The messageId is the event id: a retry is accepted once.',
              requestBody: { required: true, content: { 'application/json': { schema: ref(schema) } } },
              responses: {
                '200': json({ type: 'object', properties: { success: { const: true } } }, 'Accepted'),
                '400': json(ref('Error'), 'ValidationError: issues name each field'),
                '401': { description: 'No Authorization header' },
                '403': { description: 'The write key is not valid' },
                '500': json(ref('Error'), 'InternalError: safe to send the same request again'),
              },
            },
          },
        ]),
      ),
      '/events': {
        post: {
          summary: 'Track one event, or a batch of up to 100',
          description:
            'Validates the whole body first: one bad event rejects the request and nothing is written. An event id seen before is accepted once and reported in `duplicates`. Accepted events update the profile and go onto the bus, where journeys start from them.',
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [ref('Event'), ref('EventBatch')] } } } },
          responses: {
            '202': json(ref('IngestResult'), 'Accepted'),
            '400': json(ref('Error'), 'ValidationError (issues name each field), InvalidJson, or PayloadTooLarge (over 256 KB)'),
            '401': { description: 'No Authorization header' },
            '403': { description: 'The API key is not valid' },
            '500': json(ref('Error'), 'InternalError: safe to send the same request again'),
          },
        },
      },
      '/profiles': {
        get: {
          summary: 'Look a profile up by any identity: ?email=..., ?anonymousId=..., ?phone=..., ?pushToken=..., ?userId=...',
          parameters: IDENTITY_TYPES.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
          responses: {
            '200': json(ref('Profile'), 'The profile (after merges: the one that holds the person now)'),
            '400': json(ref('Error'), 'ValidationError: none or several identities, or an unknown identity type (named)'),
            '404': json(ref('Error'), 'NotFound'),
          },
        },
      },
      '/profiles/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 256 }, description: 'A userId, or anonymous:<anonymousId> (URL-encoded)' }],
        get: { summary: 'Read a profile (a merged-away id answers with the survivor)', responses: { '200': json(ref('Profile'), 'The profile'), '404': json(ref('Error'), 'NotFound') } },
        put: profileWrite('Replace the attributes: those not given are removed. Identities given are linked (stitching).'),
        patch: profileWrite('Change some attributes; null removes one. Identities given are linked (stitching).'),
        delete: {
          summary: 'Erase the person: every store, running journeys stopped, addresses suppressed',
          description: 'Removes the profile, its identities, event history, audience memberships, send records and ledger entries, waiting steps and runs, and the profiles merged into it; stops its running journeys; suppresses its email, phone and push tokens (kept as hashes) so a later import cannot reach them. Safe to repeat until it answers 404.',
          responses: { '200': json(ref('Erasure'), 'Erased'), '404': json(ref('Error'), 'NotFound') },
        },
      },
      '/profiles/{id}/export': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 256 } }],
        get: { summary: 'Everything held about a person (access request)', responses: { '200': json(ref('ProfileExport'), 'The export'), '404': json(ref('Error'), 'NotFound') } },
      },
      '/audiences/{id}/exports': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'An audience id (audiences/<id>.json)' }],
        post: {
          summary: 'Export the audience: every profile evaluated now, members written as JSON lines',
          description: 'Starts the audience jobs state machine: pages of the profile scan, a bounded slice per Lambda invocation, resumable from the saved cursor. Follow it with GET .../exports/{jobId}.',
          responses: { '202': json(ref('AudienceExportStarted'), 'Started'), '404': json(ref('Error'), 'NotFound: no such audience') },
        },
      },
      '/audiences/{id}/exports/{jobId}': {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'jobId', in: 'path', required: true, schema: { type: 'string' } },
        ],
        get: { summary: 'An export: status, count, parts, where they are', responses: { '200': json(ref('AudienceJob'), 'The job'), '404': json(ref('Error'), 'NotFound') } },
      },
      '/decisions': {
        post: {
          summary: 'The offers of a decision for one person now (eligibility, ranking, caps, unique codes), with their content for its placement',
          description:
            'Every decision is logged under the profile (which offers, every eligible offer\'s score, the learning segment). When nothing eligible can be had, the fallback offer. Send an Idempotency-Key header to make a retry answer the same offers and codes, claimed once. Report what happened with offer.displayed, offer.clicked and offer.converted events (properties.offerId) to POST /events: bandit rankings learn from them.',
          parameters: [{ name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('DecisionRequest') } } },
          responses: {
            '200': json({ type: 'object', properties: { decisionId: { type: 'string' }, decision: { type: 'string' }, at: { type: 'string', format: 'date-time' }, fallback: { type: 'boolean' }, offers: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, content: { type: 'object' }, code: { type: 'string' } } } } } }, 'The offers'),
            '400': json(ref('Error'), 'ValidationError, naming the field'),
            '404': json(ref('Error'), 'NotFound: no such decision'),
          },
        },
      },
      '/unsubscribe': {
        parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string', maxLength: 2048 }, description: 'The signed token of the List-Unsubscribe link' }],
        get: { summary: 'Unsubscribe (a person following the link)', security: [], responses: { '200': { description: 'An HTML confirmation' }, '400': json(ref('Error'), 'InvalidToken: forged, altered or truncated') } },
        post: {
          summary: 'One-click unsubscribe (RFC 8058): body List-Unsubscribe=One-Click',
          description: 'No API key: mail clients call it; the HMAC-signed token is the credential. Records consent denied for the channel and list at once.',
          security: [],
          responses: { '200': { description: 'An HTML confirmation' }, '400': json(ref('Error'), 'InvalidToken: forged, altered or truncated') },
        },
      },
      '/campaigns/{id}/trigger': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'A campaign id (campaigns/<id>.json)' }],
        post: {
          summary: 'Start a run of the campaign now, with context data for its template, to its audience or a list of profiles',
          description: 'Send an Idempotency-Key header (1-80 letters, digits and -) to make a retry the same run; it becomes the run id.',
          parameters: [{ name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string', maxLength: 80 } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('CampaignTrigger') } } },
          responses: { '202': json(ref('CampaignTriggered'), 'Started'), '400': json(ref('Error'), 'ValidationError, naming the field'), '404': json(ref('Error'), 'NotFound: no such campaign') },
        },
      },
      '/campaigns/{id}/report': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary: "A campaign's report: every run's targeted, sent, skipped by reason and failed, and the delivery feedback of its emails",
          responses: { '200': json(ref('CampaignReport'), 'The report'), '404': json(ref('Error'), 'NotFound') },
        },
      },
      '/journeys/{id}/report': {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Start of the period (default: the beginning)' },
          { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'End of the period (default: now)' },
          { name: 'version', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9a-f]{12}$' }, description: 'One version of the journey (default: all)' },
        ],
        get: {
          summary: "A journey's live report: per step, who entered, is waiting, was sent, skipped (by reason), failed; the journey's entered, completed, exited (by criterion), goal, in flight; the journey laid out for drawing",
          description: 'Counts come from hourly buckets (the period is rounded to whole hours); the gauges (waiting, in flight) are as they are now. The report page, report/index.html, draws it.',
          responses: { '200': json(ref('JourneyReport'), 'The report'), '400': json(ref('Error'), 'ValidationError, naming the parameter'), '404': json(ref('Error'), 'NotFound') },
        },
      },
      '/campaigns/{id}/runs/{runId}': {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'runId', in: 'path', required: true, schema: { type: 'string' } },
        ],
        get: { summary: 'A run: status, targeted, sent, skipped by reason, failed, send times', responses: { '200': json(ref('CampaignRun'), 'The run'), '404': json(ref('Error'), 'NotFound') } },
      },
      '/campaigns/{id}/runs/{runId}/{action}': {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'runId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'action', in: 'path', required: true, schema: { enum: ['pause', 'resume', 'cancel'] } },
        ],
        post: {
          summary: 'Pause (batches stop within 50 sends; the run waits), resume, or cancel a run',
          responses: { '200': json(ref('CampaignRunStatus'), 'The new status'), '404': json(ref('Error'), 'NotFound'), '409': json(ref('Error'), 'Conflict: not applicable now (such as resuming a finished run)') },
        },
      },
    },
  };
}

export const OPENAPI_FILE = resolve(import.meta.dirname, '..', 'docs', 'openapi.json');
export const renderOpenApi = () => `${JSON.stringify(buildOpenApi(), null, 2)}\n`;

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'openapi.ts')) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
