import * as z from 'zod';
import { FEEDBACK_KINDS } from '../../../statemachines/channels';

// The campaign API's bodies and answers (docs/openapi.json is generated from them).

export const triggerSchema = z
  .strictObject({
    context: z.record(z.string(), z.unknown()).optional().describe('Data for the template: {{context.*}}'),
    profileIds: z.array(z.string().min(1).max(256)).min(1).max(1000).optional().describe("Recipients instead of the campaign's audience"),
    at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional().describe('Run as of this instant (the schedule instant it stands for: local times count from it), for tests and replays; default now'),
  })
  .meta({ id: 'CampaignTrigger' });

const armOutcome = z.strictObject({ assigned: z.number(), sent: z.number(), skipped: z.number(), failed: z.number() });

export const runReportSchema = z
  .strictObject({
    campaignId: z.string(),
    runId: z.string(),
    status: z.enum(['preparing', 'running', 'paused', 'cancelled', 'done', 'failed']),
    trigger: z.enum(['schedule', 'api']),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    targeted: z.number().describe('Recipients found (the audience, or the ids given that exist)'),
    enrolled: z.number().optional().describe('A campaign that enrols into a journey: the profiles enrolled (the journey then sends, or holds some out)'),
    sent: z.number().describe('Messages sent: by the campaign, or by the journey to the profiles this run enrolled'),
    skipped: z.record(z.string(), z.number()).describe('By reason: missing-address, suppressed...'),
    failed: z.number(),
    sendTimes: z.array(z.string()).describe('When the run sends: one time, or one per local time with localTime'),
    arms: z.record(z.string(), armOutcome).optional().describe('A campaign with treatments, a holdout or a goal: the counts by treatment (the holdout is assigned, never sent)'),
    groups: z.record(z.string(), z.number()).optional().describe('With sendTime: messages sent at the best hour (timing.best) and at the start (timing.held)'),
  })
  .meta({ id: 'CampaignRun' });

const interval = z.tuple([z.number(), z.number()]);
const armReport = armOutcome.extend({
  feedback: z.partialRecord(z.enum(FEEDBACK_KINDS), z.number()).describe("Delivery feedback of this arm's messages"),
  converted: z.number().describe('Goal events within the window after the send (the holdout: after the run reached it)'),
  conversionRate: z.number().describe('converted / assigned'),
  difference: z.strictObject({ value: z.number(), interval }).optional().describe('Against the control: the difference of conversion rates, with its confidence interval'),
  lift: z.strictObject({ value: z.number(), interval }).nullable().optional().describe('The difference relative to the control\'s rate (null when the control converted none)'),
  pValue: z.number().optional().describe('Two-sided, pooled two-proportion z-test against the control'),
  significant: z.boolean().optional().describe('pValue below 1 - confidence'),
  probabilityBest: z.number().describe('The chance this arm converts best, under Beta(1 + converted, 1 + assigned - converted) posteriors'),
});

const experimentSchema = z.strictObject({
  goal: z.strictObject({ event: z.string(), where: z.unknown().optional(), within: z.string() }).optional(),
  control: z.string().describe('The holdout, or else the first treatment'),
  confidence: z.number(),
  method: z.string(),
  arms: z.record(z.string(), armReport),
});

export const campaignReportSchema = z
  .strictObject({
    campaign: z.string(),
    totals: z.strictObject({
      runs: z.number(),
      targeted: z.number(),
      sent: z.number(),
      skipped: z.record(z.string(), z.number()),
      failed: z.number(),
      feedback: z.partialRecord(z.enum(FEEDBACK_KINDS), z.number()).describe("Delivery feedback of the campaign's emails"),
      groups: z
        .record(z.string(), z.strictObject({ sent: z.number(), feedback: z.partialRecord(z.enum(FEEDBACK_KINDS), z.number()) }))
        .optional()
        .describe('With sendTime: sends and their feedback at the best hour (timing.best) and at the start (timing.held: sendTimeHoldout)'),
    }),
    runs: z.array(runReportSchema),
    experiment: experimentSchema.optional().describe('Treatments, holdout and goal compared, over every run'),
  })
  .meta({ id: 'CampaignReport' });

export const triggeredSchema = z
  .strictObject({ campaignId: z.string(), runId: z.string(), replay: z.boolean().describe('true when the Idempotency-Key named a run already triggered: nothing new was started') })
  .meta({ id: 'CampaignTriggered' });
export const runStatusSchema = z.strictObject({ campaignId: z.string(), runId: z.string(), status: z.string() }).meta({ id: 'CampaignRunStatus' });

const catalogEvent = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._:@+-]{1,128}$/, 'must be 1-128 letters, digits and ._:@+-').describe('Unique per event: the same id again is the same event (its fan-out runs are replays)'),
  type: z.string().regex(/^[A-Za-z0-9 ._:-]{1,128}$/, 'must be 1-128 characters of letters, digits, spaces, ".", "_", ":" and "-"').describe('The catalog event type a fan-out journey enters on, such as item.restocked'),
  timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional().describe('When it happened; the windows count back from it (default now)'),
  properties: z.record(z.string(), z.unknown()).default({}).describe('What the event is about (the fan-out key, such as sku); the journey reads them as event.properties'),
});

export const catalogEventsSchema = z
  .union([catalogEvent, z.strictObject({ events: z.array(catalogEvent).min(1).max(100) })])
  .meta({ id: 'CatalogEvents', description: 'One catalog event, or { events: [...] } (up to 100): events about things, not people' });

export const catalogAcceptedSchema = z
  .strictObject({
    accepted: z.array(z.string()),
    runs: z.array(z.strictObject({ eventId: z.string(), journey: z.string(), runId: z.string().describe('Follow it at GET /campaigns/fanout-<journey>/runs/<runId>'), replay: z.boolean() })),
  })
  .meta({ id: 'CatalogAccepted' });
