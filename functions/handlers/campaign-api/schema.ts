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
  })
  .meta({ id: 'CampaignRun' });

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
    }),
    runs: z.array(runReportSchema),
  })
  .meta({ id: 'CampaignReport' });

export const triggeredSchema = z
  .strictObject({ campaignId: z.string(), runId: z.string(), replay: z.boolean().describe('true when the Idempotency-Key named a run already triggered: nothing new was started') })
  .meta({ id: 'CampaignTriggered' });
export const runStatusSchema = z.strictObject({ campaignId: z.string(), runId: z.string(), status: z.string() }).meta({ id: 'CampaignRunStatus' });
