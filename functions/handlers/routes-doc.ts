import { IDENTITY_TYPES } from '../domain/identity';
import type { OperationId } from './routes';

// What the OpenAPI reference says of each operation of the route table (routes.ts): a Record over its
// operation ids, so a route without documentation is a type error. Kept apart from routes.ts so the API
// handlers, which dispatch on the table, do not bundle these texts. Schemas are named components (the zod
// schemas registered in scripts/openapi.ts); path parameters come from the path, described here when useful.

type Json = Record<string, unknown>;
export const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: Json, description: string): Json => ({ description, content: { 'application/json': { schema } } });
const body = (schema: Json): Json => ({ required: true, content: { 'application/json': { schema } } });
const idempotencyKey = (maxLength: number): Json => ({ name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string', maxLength } });

export interface OperationDoc {
  summary: string;
  description?: string;
  /** Descriptions of path parameters (by name); each path parameter is listed whether described or not. */
  path?: Record<string, Json>;
  /** Query and header parameters. */
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
  /** No API key (token-authenticated routes). */
  security?: [];
}

const ERROR_500 = json(ref('Error'), 'InternalError: safe to send the same request again');
const UNAUTHORIZED = { '401': { description: 'No Authorization header' }, '403': { description: 'The API key is not valid' } };
const OVERLOADED = {
  '503': {
    description: 'Overloaded: accepted events wait to be applied beyond the limit (queue depth or age); nothing was recorded. Send again after Retry-After seconds (Segment SDKs do).',
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before sending again' } },
    content: { 'application/json': { schema: ref('Error') } },
  },
};
const STORABLE =
  'Every value must be storable as sent: finite numbers, integers of at most 2^53 - 1 in size (send larger ones as strings), nesting of at most 30 levels, no field named like a JavaScript object member (constructor, __proto__, toString...), timestamps at most 15 minutes ahead of the server clock (configurable).';
const PROFILE_ID = { id: { schema: { type: 'string', maxLength: 256 }, description: 'A userId, or anonymous:<anonymousId> (URL-encoded)' } };

function segment(schema: string, summary: string): OperationDoc {
  return {
    summary,
    description: 'The Segment HTTP tracking API, so Segment SDKs send here unchanged (point their host at this API). The messageId is the event id: a retry is accepted once.',
    requestBody: body(ref(schema)),
    responses: {
      '200': json({ type: 'object', properties: { success: { const: true } } }, 'Accepted: queued, applied in order per profile within moments'),
      '400': json(ref('Error'), `ValidationError: issues name each field. ${STORABLE}`),
      '401': { description: 'No Authorization header' },
      '403': { description: 'The write key is not valid' },
      '500': ERROR_500,
      ...OVERLOADED,
    },
  };
}

function profileWrite(summary: string): OperationDoc {
  return {
    summary,
    description:
      'Queued as a `profile.updated` event and applied through the ingest path, in order with the profile\'s other events: stitched, kept in the history, seen by journeys and audiences. Answers 202 once queued; GET the profile to read it. Send an Idempotency-Key header to make a retry a no-op (it is the event id).',
    path: PROFILE_ID,
    parameters: [idempotencyKey(128)],
    requestBody: body(ref('ProfileWrite')),
    responses: {
      '202': json(ref('IngestResult'), 'Accepted (queued): the event id in `accepted`, or in `duplicates` for a repeated Idempotency-Key'),
      '400': json(ref('Error'), `ValidationError: names each field (reserved attribute names, unknown identity types, wrong types), PayloadTooLarge (over 256 KB). ${STORABLE}`),
      '500': ERROR_500,
      ...OVERLOADED,
    },
  };
}

const unsubscribe = (summary: string, description?: string): OperationDoc => ({
  summary,
  ...(description ? { description } : {}),
  security: [],
  parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string', maxLength: 2048 }, description: 'The signed token of the List-Unsubscribe link' }],
  responses: { '200': { description: 'An HTML confirmation' }, '400': json(ref('Error'), 'InvalidToken: forged, altered or truncated') },
});

const preferences = (summary: string): OperationDoc => ({
  summary,
  description: 'No API key: the link in an email is the credential (an HMAC-signed token naming the profile).',
  security: [],
  parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string', maxLength: 2048 }, description: 'The signed token of the preference link' }],
  responses: { '200': { description: 'An HTML page' }, '400': json(ref('Error'), 'InvalidToken: forged, altered or truncated') },
});

export const OPERATION_DOCS: Record<OperationId, OperationDoc> = {
  trackEvents: {
    summary: 'Track one event, or a batch of up to 100',
    description:
      'Validates the whole body first: one bad event rejects the request and nothing is written. Then records each id and queues the events (SQS FIFO, in order per profile) and answers; a consumer applies them within moments: profile, history, audiences, the bus, where journeys start. An event id seen before is accepted once and reported in `duplicates`.',
    requestBody: body({ oneOf: [ref('Event'), ref('EventBatch')] }),
    responses: {
      '202': json(ref('IngestResult'), 'Accepted (queued)'),
      '400': json(ref('Error'), `ValidationError (issues name each field), InvalidJson, or PayloadTooLarge (over 256 KB). ${STORABLE}`),
      ...UNAUTHORIZED,
      '500': ERROR_500,
      ...OVERLOADED,
    },
  },
  segmentTrack: segment('SegmentTrack', 'Segment track: an event of the profile (userId, or anonymousId before the person is known)'),
  segmentIdentify: segment('SegmentIdentify', 'Segment identify: traits merged into the profile as attributes (event type `identify`); with userId and anonymousId, the anonymous profile is stitched into the known one'),
  segmentAlias: segment('SegmentAlias', 'Segment alias: previousId (an anonymousId) is userId; the anonymous profile is merged into the known one (event type `alias`)'),
  segmentBatch: segment('SegmentBatch', 'Segment batch: up to 100 track, identify, page, screen or alias messages, validated as a whole'),
  replaceProfile: profileWrite('Replace the attributes: those not given are removed. Identities given are linked (stitching).'),
  updateProfile: profileWrite('Change some attributes; null removes one. Identities given are linked (stitching).'),
  importProfiles: {
    summary: 'Import up to 100 profiles (a bulk import: `jo import profiles <file>` sends a file in such batches)',
    description:
      'Each line is a profile write of a known person (`id`) or an anonymous one (`anonymousId`): attributes merged, identities linked (stitching), consents recorded, audiences evaluated. Queued as `profile.imported` events whose ids are hashes of the lines, so importing the same lines again is accepted as `duplicates` and changes nothing. They start no journey (nothing goes on the bus, audience entries included) unless `startJourneys` is true.',
    requestBody: body(ref('ProfileImport')),
    responses: {
      '202': json(ref('IngestResult'), 'Accepted (queued): one event id a line, in `accepted`, or in `duplicates` for a line imported before'),
      '400': json(ref('Error'), `ValidationError, naming the line and field (profiles[3].attributes.plan). ${STORABLE}`),
      '500': ERROR_500,
      ...OVERLOADED,
    },
  },
  findProfile: {
    summary: 'Look a profile up by any identity: ?email=..., ?anonymousId=..., ?phone=..., ?pushToken=..., ?userId=...',
    parameters: IDENTITY_TYPES.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
    responses: {
      '200': json(ref('Profile'), 'The profile (after merges: the one that holds the person now)'),
      '400': json(ref('Error'), 'ValidationError: none or several identities, or an unknown identity type (named)'),
      '404': json(ref('Error'), 'NotFound'),
    },
  },
  getProfile: { summary: 'Read a profile (a merged-away id answers with the survivor)', path: PROFILE_ID, responses: { '200': json(ref('Profile'), 'The profile'), '404': json(ref('Error'), 'NotFound') } },
  exportProfile: { summary: 'Everything held about a person (access request)', path: PROFILE_ID, responses: { '200': json(ref('ProfileExport'), 'The export'), '404': json(ref('Error'), 'NotFound') } },
  eraseProfile: {
    summary: 'Erase the person: every store, running journeys stopped, addresses suppressed',
    description:
      'Removes the profile, its identities, event history, audience memberships, send records and ledger entries, waiting steps and runs, and the profiles merged into it; stops its running journeys; suppresses its email, phone and push tokens (kept as hashes) so a later import cannot reach them. Safe to repeat until it answers 404.',
    path: PROFILE_ID,
    responses: { '200': json(ref('Erasure'), 'Erased'), '404': json(ref('Error'), 'NotFound') },
  },
  getInbox: {
    summary: "The profile's in-app inbox: live messages, newest first",
    description:
      'Messages sent by inApp steps and campaigns, rendered. Report what the person did with inbox.viewed, inbox.clicked and inbox.dismissed events (properties.messageId) to POST /events: the report counts them, and a dismissed message leaves the inbox.',
    path: PROFILE_ID,
    responses: { '200': json(ref('Inbox'), 'The inbox'), '404': json(ref('Error'), 'NotFound') },
  },
  startAudienceExport: {
    summary: 'Export the audience: every profile evaluated now, members written as JSON lines',
    description: 'Starts the audience jobs state machine: pages of the profile scan, a bounded slice per Lambda invocation, resumable from the saved cursor. Follow it with GET .../exports/{jobId}.',
    path: { id: { description: 'An audience id (audiences/<id>.json)' } },
    responses: { '202': json(ref('AudienceExportStarted'), 'Started'), '404': json(ref('Error'), 'NotFound: no such audience') },
  },
  getAudienceExport: { summary: 'An export: status, count, parts, where they are', responses: { '200': json(ref('AudienceJob'), 'The job'), '404': json(ref('Error'), 'NotFound') } },
  triggerCampaign: {
    summary: 'Start a run of the campaign now, with context data for its template, to its audience or a list of profiles',
    description:
      'Without an Idempotency-Key every call starts a new run. With one (the rule of every route: 1-128 letters, digits and ._:@+-) a retry is the same run: it answers 200 with replay: true and sends nothing again. A key of letters, digits and - is the run id itself; any other names the run by its hash.',
    path: { id: { description: 'A campaign id (campaigns/<id>.json)' } },
    parameters: [idempotencyKey(128)],
    requestBody: body(ref('CampaignTrigger')),
    responses: {
      '202': json(ref('CampaignTriggered'), 'Started'),
      '200': json(ref('CampaignTriggered'), 'A replay: the run of this Idempotency-Key, already triggered'),
      '400': json(ref('Error'), 'ValidationError, naming the field'),
      '404': json(ref('Error'), 'NotFound: no such campaign'),
    },
  },
  getCampaignRun: { summary: 'A run: status, targeted, sent, skipped by reason, failed, send times', responses: { '200': json(ref('CampaignRun'), 'The run'), '404': json(ref('Error'), 'NotFound') } },
  controlCampaignRun: {
    summary: 'Pause (batches stop within 50 sends; the run waits), resume, or cancel a run',
    path: { action: { schema: { enum: ['pause', 'resume', 'cancel'] } } },
    responses: { '200': json(ref('CampaignRunStatus'), 'The new status'), '404': json(ref('Error'), 'NotFound'), '409': json(ref('Error'), 'Conflict: not applicable now (such as resuming a finished run)') },
  },
  getCampaignReport: {
    summary: "A campaign's report: every run's targeted, sent, skipped by reason and failed, and the delivery feedback of its messages",
    responses: { '200': json(ref('CampaignReport'), 'The report'), '404': json(ref('Error'), 'NotFound') },
  },
  postCatalogEvents: {
    summary: 'Catalog events (about things, not people): each enters the profiles a fan-out journey on its type finds interested',
    description:
      'For every journey whose entry has a fanOut on this event type, a run of the campaign fanout-<journey> enters, paced, each profile whose interest event (such as product.viewed) had the same key value (such as the sku) within the window. The run id is a hash of journey and event id: the same event again is a replay and enters no one twice.',
    requestBody: body(ref('CatalogEvents')),
    responses: { '202': json(ref('CatalogAccepted'), 'Accepted: the runs started (or replayed)'), '400': json(ref('Error'), 'ValidationError, naming the field') },
  },
  getJourneyReport: {
    summary:
      "A journey's live report: per step, who entered, is waiting, was sent, skipped (by reason), failed; the journey's entered, completed, exited (by criterion), goal, in flight; the journey laid out for drawing",
    description: 'Counts come from hourly buckets (the period is rounded to whole hours); the gauges (waiting, in flight) are as they are now. The report page, report/index.html, draws it.',
    parameters: [
      { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Start of the period (default: the beginning)' },
      { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'End of the period (default: now)' },
      { name: 'version', in: 'query', required: false, schema: { type: 'string', pattern: '^[0-9a-f]{12}$' }, description: 'One version of the journey (default: all)' },
    ],
    responses: { '200': json(ref('JourneyReport'), 'The report'), '400': json(ref('Error'), 'ValidationError, naming the parameter'), '404': json(ref('Error'), 'NotFound') },
  },
  startModelJob: {
    summary: 'Trains a model now and scores every profile (as its schedule does), or learns the engagement pattern (id engagement)',
    description: 'A job of the jobs loop: it reads every profile\'s history once to collect training rows, fits, then writes each profile\'s score. Follow it with GET /models/{id}/jobs/{jobId}; the result is GET /models/{id}/report.',
    responses: { '202': json(ref('ModelJob'), 'Started'), '404': json(ref('Error'), 'NotFound: no such model') },
  },
  getModelJob: { summary: 'A learning job: its phase, pages, status', responses: { '200': json(ref('ModelJob'), 'The job'), '404': json(ref('Error'), 'NotFound') } },
  getModelReport: {
    summary: "A propensity model's last training: when, on how many profiles, its coefficients, AUC on the held-out profiles and calibration buckets",
    description: 'Scores are written to each profile as profile.scores.<id> by the scoring pass after each training (models/<id>.json names the goal, features and schedule). `engagement` reports the population pattern send-time optimisation learned.',
    path: { id: { schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' }, description: 'The model id (the file name in models/), or engagement' } },
    responses: { '200': json(ref('ModelReport'), 'The report'), '404': json(ref('Error'), 'NotFound: no such model, or not trained yet') },
  },
  decide: {
    summary: 'The offers of a decision for one person now (eligibility, ranking, caps, unique codes), with their content for its placement',
    description:
      "Every decision is logged under the profile (which offers, every eligible offer's score, the learning segment). When nothing eligible can be had, the fallback offer. Send an Idempotency-Key header to make a retry answer the same offers and codes, claimed once. Report what happened with offer.displayed, offer.clicked and offer.converted events (properties.offerId) to POST /events: bandit rankings learn from them.",
    parameters: [idempotencyKey(128)],
    requestBody: body(ref('DecisionRequest')),
    responses: {
      '200': json(
        {
          type: 'object',
          properties: {
            decisionId: { type: 'string' },
            decision: { type: 'string' },
            at: { type: 'string', format: 'date-time' },
            fallback: { type: 'boolean' },
            offers: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, content: { type: 'object' }, code: { type: 'string' } } } },
          },
        },
        'The offers',
      ),
      '400': json(ref('Error'), 'ValidationError, naming the field'),
      '404': json(ref('Error'), 'NotFound: no such decision'),
    },
  },
  previewTemplate: {
    summary: 'Render a template for a profile: subject, text, HTML (nothing is sent)',
    description: "The variant of the profile's locale (or `locale`), with the profile's signed links; the same rendering a send makes. `jo render` does it offline from files.",
    path: { id: { description: 'The template name (templates/<name>.json)' } },
    requestBody: body(ref('TemplatePreview')),
    responses: { '200': json(ref('Preview'), 'The rendered fields and the locale used'), '400': json(ref('Error'), 'ValidationError, naming the field'), '404': json(ref('Error'), 'NotFound: no such template or profile') },
  },
  sendProof: {
    summary: 'Send a proof of an email template to a proof list (rules.json proofLists)',
    description: 'Rendered for the profile as a send would be, the subject prefixed "[Proof] ", sent to each address of the list. Outside journeys, reports, frequency caps and the send ledger; no delivery events come back for it.',
    path: { id: { description: 'The template name (templates/<name>.json)' } },
    requestBody: body(ref('TemplateProof')),
    responses: { '200': json(ref('Proof'), 'Who it went to'), '400': json(ref('Error'), 'ValidationError: an unknown proof list, a template that is not an email'), '404': json(ref('Error'), 'NotFound: no such template or profile') },
  },
  startProfileImport: {
    summary: 'Import profiles from a file in the exports bucket (imports/...): JSON lines, as profiles.jsonl',
    description:
      'A job of the jobs state machine reads the file a page of bytes at a time from its saved offset, and puts each line on the ingest queue as POST /profiles/import does (`profile.imported`, ids hashed from the lines: rerunning changes nothing; no journey starts). Refused lines go to imports/<jobId>/errors-*.jsonl with their line numbers. Follow it with GET /imports/{jobId}.',
    requestBody: body(ref('ProfileImportStart')),
    responses: { '202': json({ type: 'object', properties: { jobId: { type: 'string' }, source: { type: 'string' }, status: { type: 'string' } } }, 'Started'), '400': json(ref('Error'), 'ValidationError: source') },
  },
  getProfileImport: {
    summary: 'An import: lines read, profiles accepted, duplicates, refused lines (and where their report is)',
    responses: { '200': json(ref('AudienceJob'), 'The job'), '404': json(ref('Error'), 'NotFound') },
  },
  unsubscribeLink: unsubscribe('Unsubscribe (a person following the link)'),
  unsubscribeOneClick: unsubscribe(
    'One-click unsubscribe (RFC 8058): body List-Unsubscribe=One-Click',
    'No API key: mail clients call it; the HMAC-signed token is the credential. Records consent denied for the channel and list at once.',
  ),
  getPreferences: preferences('The preference page ({{preferencesUrl}}): the lists the profile gets, by channel, as a form'),
  setPreferences: preferences('Save the preference page: form fields <channel>.<list>=on for each list kept; the others are denied'),
};
