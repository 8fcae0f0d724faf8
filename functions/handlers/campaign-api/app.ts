import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import type { Campaign } from '../../../statemachines';
import { controlRun, newRun, runSummary } from '../../domain/campaigns';
import { campaignReport, journeyScope } from '../../domain/reports';
import type { CampaignRuns, Clock, Executions, Log, ReportCounters } from '../../ports';
import { HttpError, httpErrors, json, jsonBody } from '../http';
import { JOB_ID } from '../routes';

// POST /campaigns/{id}/trigger, GET /campaigns/{id}/runs/{runId}, POST .../runs/{runId}/{pause|resume|cancel}.

export const triggerSchema = z
  .strictObject({
    context: z.record(z.string(), z.unknown()).optional().describe('Data for the template: {{context.*}}'),
    profileIds: z.array(z.string().min(1).max(256)).min(1).max(1000).optional().describe("Recipients instead of the campaign's audience"),
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
    sent: z.number(),
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
      feedback: z.partialRecord(z.enum(['delivered', 'opened', 'clicked', 'bounced', 'complained']), z.number()).describe("Delivery feedback of the campaign's emails"),
    }),
    runs: z.array(runReportSchema),
  })
  .meta({ id: 'CampaignReport' });

export const triggeredSchema = z.strictObject({ campaignId: z.string(), runId: z.string() }).meta({ id: 'CampaignTriggered' });
export const runStatusSchema = z.strictObject({ campaignId: z.string(), runId: z.string(), status: z.string() }).meta({ id: 'CampaignRunStatus' });

export interface CampaignApiDeps {
  campaigns: (id: string) => Campaign | undefined;
  runs: CampaignRuns;
  executions: Executions;
  stateMachineArn: string;
  newRunId(): string;
  /** Delivery feedback of the campaign's messages. */
  reports?: ReportCounters;
  clock: Clock;
  log: Log;
}

const notFound = (what: string) => new HttpError(404, 'NotFound', what);

export function createCampaignApiHandler(deps: CampaignApiDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use({
      before: async (request) => {
        // Only the trigger has a body.
        if (request.event.routeKey === 'POST /campaigns/{id}/trigger') await jsonBody(() => triggerSchema).before!(request as never);
      },
    })
    .handler(async (event) => {
      const campaign = deps.campaigns(event.pathParameters?.id ?? '');
      if (!campaign) throw notFound(`no campaign "${(event.pathParameters?.id ?? '').slice(0, 48)}"`);
      const runId = event.pathParameters?.runId;
      if (event.routeKey === 'POST /campaigns/{id}/trigger') {
        const body = event.body as unknown as z.output<typeof triggerSchema>;
        if (!body.profileIds && !campaign.audience && !campaign.where) {
          throw new HttpError(400, 'ValidationError', 'profileIds: this campaign has no audience; give the recipients', [{ path: 'profileIds', message: 'required: this campaign has no audience' }]);
        }
        const key = event.headers['idempotency-key'];
        if (key !== undefined && !JOB_ID.test(key)) throw new HttpError(400, 'ValidationError', 'idempotency-key: must be 1-80 letters, digits and -', [{ path: 'idempotency-key', message: 'must be 1-80 letters, digits and -' }]);
        // A retry with the same Idempotency-Key is the same run.
        const id = key ?? deps.newRunId();
        const run = newRun(campaign.id, id, 'api', deps.clock.now().toISOString(), { ...(body.context ? { context: body.context } : {}), ...(body.profileIds ? { profileIds: body.profileIds } : {}) });
        await deps.runs.save(run);
        await deps.executions.start({ stateMachineArn: deps.stateMachineArn, name: id, input: { campaignId: campaign.id, runId: id } });
        deps.log.info('campaign triggered', { campaign: campaign.id, run: id });
        return json(202, { campaignId: campaign.id, runId: id });
      }
      if (event.routeKey === 'GET /campaigns/{id}/report') {
        const runs = await Promise.all((await deps.runs.list(campaign.id)).map(async (run) => runSummary(run, await deps.runs.batches(campaign.id, run.runId))));
        return json(200, campaignReport(campaign.id, runs, deps.reports ? await deps.reports.read(journeyScope(`campaign-${campaign.id}`), new Date(0), deps.clock.now()) : []));
      }
      if (!runId || !JOB_ID.test(runId)) throw notFound('no such run');
      if (event.routeKey === 'GET /campaigns/{id}/runs/{runId}') {
        const run = await deps.runs.get(campaign.id, runId);
        if (!run) throw notFound('no such run (it may not have started yet)');
        return json(200, runSummary(run, await deps.runs.batches(campaign.id, runId)));
      }
      const action = event.pathParameters?.action;
      if (action !== 'pause' && action !== 'resume' && action !== 'cancel') throw notFound('the actions are pause, resume and cancel');
      const result = await controlRun(campaign.id, runId, action, deps);
      if (result === 'not-found') throw notFound('no such run');
      if (result === 'conflict') throw new HttpError(409, 'Conflict', `a ${action} does not apply to this run now`);
      return json(200, { campaignId: result.campaignId, runId: result.runId, status: result.status });
    });
}
