import { IMPORT_SOURCE } from '../routes';
import * as z from 'zod';

// What the profile API answers, for the API reference (docs/openapi.json). The handler builds these objects
// in functions/domain/privacy.ts; a test checks real answers against these schemas.

export const profileSchema = z
  .strictObject({
    id: z.string().describe('The userId, or anonymous:<anonymousId> for a person not known yet'),
    attributes: z.record(z.string(), z.unknown()),
    identities: z.record(z.string(), z.array(z.string())).describe('By type: userId, anonymousId, email, phone, pushToken'),
    audiences: z.record(z.string(), z.string()).describe('Audience id to when the profile entered it'),
    consents: z.record(z.string(), z.record(z.string(), z.strictObject({ status: z.enum(['granted', 'denied']), at: z.string() }))).describe('Per channel and list'),
    scores: z.record(z.string(), z.number()).describe('Propensity scores by model (models/<id>.json): the probability of its goal, as its last scoring pass wrote it'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Profile' });

export const profileExportSchema = z
  .strictObject({
    profile: profileSchema,
    mergedFrom: z.array(z.string()).describe('Profiles stitched into this one'),
    events: z.array(z.record(z.string(), z.unknown())).describe('The event history (kept 400 days)'),
    sends: z.array(z.record(z.string(), z.unknown())).describe('Messages: journey, step, channel, status, time'),
    offerDecisions: z.array(z.record(z.string(), z.unknown())).describe('Offer decisions made for the person: which offers, why'),
    inbox: z.array(z.record(z.string(), z.unknown())).describe('In-app messages in the inbox'),
    journeys: z.array(z.record(z.string(), z.unknown())).describe('Journey runs: status, entry, end, conversion'),
    waiting: z.array(z.record(z.string(), z.unknown())).describe('Journey steps waiting for an event of the person'),
  })
  .meta({ id: 'ProfileExport' });

export const erasureSchema = z.strictObject({ erased: z.literal(true), stoppedJourneys: z.number() }).meta({ id: 'Erasure' });

export const exportStartedSchema = z
  .strictObject({ jobId: z.string(), audienceId: z.string(), status: z.literal('running') })
  .meta({ id: 'AudienceExportStarted' });

export const importStartSchema = z
  .strictObject({
    source: z.string().regex(IMPORT_SOURCE, 'must be a key under imports/ of the exports bucket (the folder locally), such as imports/profiles.jsonl'),
  })
  .meta({ id: 'ProfileImportStart' });

export const audienceJobSchema = z
  .strictObject({
    kind: z.enum(['export', 'pass', 'import']),
    jobId: z.string(),
    audienceId: z.string().optional().describe('The audience exported (not shown for imports)'),
    status: z.enum(['running', 'done']),
    pages: z.number().describe('Pages of the profile scan done'),
    count: z.number().describe('Profiles in the audience so far'),
    parts: z.array(z.string()).describe('part-00001.jsonl...: one JSON line per member ({ id, identities, attributes })'),
    location: z.string().optional().describe('Where the parts and manifest.json are: s3://<bucket>/exports/<audience>/<job>/ on AWS, a folder locally'),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    at: z.string().describe('The moment every profile was evaluated at'),
    source: z.string().optional().describe('An import: the file read'),
    offset: z.number().optional().describe('An import: bytes read'),
    lines: z.number().optional().describe('An import: lines read'),
    duplicates: z.number().optional().describe('An import: lines imported before (nothing changed)'),
    errors: z.number().optional().describe('An import: lines refused, each named in the errors-*.jsonl parts'),
  })
  .meta({ id: 'AudienceJob' });

export const modelJobSchema = z
  .strictObject({
    jobId: z.string(),
    modelId: z.string().describe('The model (models/<id>.json), or engagement'),
    status: z.enum(['running', 'done']),
    phase: z.enum(['collect', 'score']).optional().describe('collect: reading histories into training rows; score: writing each profile\'s score'),
    pages: z.number().describe('Pages of the profile scans done (both phases)'),
    count: z.number().describe('collect: profiles read; score: scores that moved'),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    at: z.string().describe('The training time: features as of at less the goal window, labels up to at'),
  })
  .meta({ id: 'ModelJob' });

export const inboxSchema = z
  .strictObject({
    messages: z
      .array(
        z.strictObject({
          id: z.string().describe('Report it back as properties.messageId of inbox.viewed, inbox.clicked or inbox.dismissed events'),
          title: z.string(),
          body: z.string(),
          url: z.string().optional(),
          imageUrl: z.string().optional(),
          journey: z.string().describe('The journey (or campaign-<id>) that sent it'),
          step: z.string(),
          createdAt: z.string(),
          expiresAt: z.string(),
          status: z.enum(['new', 'viewed', 'clicked']),
        }),
      )
      .describe('Live messages, newest first; dismissed and expired ones are gone'),
  })
  .meta({ id: 'Inbox' });
