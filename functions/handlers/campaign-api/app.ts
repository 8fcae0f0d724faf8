import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import type { Campaign } from '../../../statemachines';
import { controlRun, runSummary, triggerCampaign } from '../../domain/campaign-runs';
import { campaignReport, journeyScope, journeySends } from '../../domain/reports';
import { experimentReport } from '../../domain/experiment-results';
import { armsOf } from '../../domain/experiments';
import type { CampaignRuns, Clock, Executions, Log, ReportCounters } from '../../ports';
import { HttpError, httpErrors, idempotencyKey, json, jsonBody } from '../http';
import { createHash } from 'node:crypto';
import { JOB_ID, operationOf, type OperationsOf } from '../routes';
import { catalogEventsSchema, triggerSchema } from './schema';
import { catalogRuns, fanOutCampaignId, type FanOut } from '../../domain/fan-out';

// POST /campaigns/{id}/trigger, GET /campaigns/{id}/runs/{runId}, POST .../runs/{runId}/{pause|resume|cancel}.

export interface CampaignApiDeps {
  campaigns: (id: string) => Campaign | undefined;
  /** The fan-out journeys, which catalog events enter. */
  fanOuts: () => readonly FanOut[];
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

type Operation = (event: APIGatewayProxyEventV2, campaign: Campaign, deps: CampaignApiDeps) => Promise<APIGatewayProxyResultV2>;

/** A run id from an Idempotency-Key: the key itself when it can name an execution, else a hash of it. */
const runIdOfKey = (key: string) => (JOB_ID.test(key) ? key : `key-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`);

/** The run id of the path, if it is one. */
function runIdOf(event: APIGatewayProxyEventV2): string {
  const runId = event.pathParameters?.runId;
  if (!runId || !JOB_ID.test(runId)) throw notFound('no such run');
  return runId;
}

/**
 * POST /catalog/events: each event starts a run of every fan-out journey on its type, named by journey and event
 * (the same event again replays its runs). Nothing about a person is in it, so nothing is stored but the runs.
 */
async function postCatalogEvents(event: APIGatewayProxyEventV2, deps: CampaignApiDeps): Promise<APIGatewayProxyResultV2> {
  const body = event.body as unknown as z.output<typeof catalogEventsSchema>;
  const events = 'events' in body ? body.events : [body];
  const now = deps.clock.now().toISOString();
  const runs = [];
  for (const e of events) {
    const tracked = { ...e, timestamp: e.timestamp ? new Date(e.timestamp).toISOString() : now };
    for (const r of catalogRuns(tracked, deps.fanOuts())) {
      const campaign = deps.campaigns(fanOutCampaignId(r.fanOut.journeyId));
      if (!campaign) continue;
      const { replay } = await triggerCampaign(campaign, r.runId, { context: tracked.properties, fanOut: { journeyId: r.fanOut.journeyId, value: r.value, since: r.since } }, deps);
      runs.push({ eventId: e.id, journey: r.fanOut.journeyId, runId: r.runId, replay });
    }
  }
  deps.log.info('catalog events', { events: events.length, runs: runs.length });
  return json(202, { accepted: events.map((e) => e.id), runs });
}

type CampaignOperation = Exclude<OperationsOf<'campaignApi'>, 'postCatalogEvents'>;
const OPERATIONS: Record<CampaignOperation, Operation> = {
  async triggerCampaign(event, campaign, deps) {
    const body = event.body as unknown as z.output<typeof triggerSchema>;
    if (!body.profileIds && !campaign.audience && !campaign.where) {
      throw new HttpError(400, 'ValidationError', 'profileIds: this campaign has no audience; give the recipients', [{ path: 'profileIds', message: 'required: this campaign has no audience' }]);
    }
    // The Idempotency-Key rule of every route; a retry with the same key is the same run (a replay).
    const key = idempotencyKey(event.headers['idempotency-key']);
    const { run, replay } = await triggerCampaign(campaign, key === undefined ? deps.newRunId() : runIdOfKey(key), { ...(body.context ? { context: body.context } : {}), ...(body.profileIds ? { profileIds: body.profileIds } : {}), ...(body.at ? { at: body.at } : {}) }, deps);
    deps.log.info('campaign triggered', { campaign: campaign.id, run: run.runId, replay });
    return json(replay ? 200 : 202, { campaignId: campaign.id, runId: run.runId, replay });
  },
  async getCampaignReport(_event, campaign, deps) {
    const rows = deps.reports ? await deps.reports.read(journeyScope(`campaign-${campaign.id}`), new Date(0), deps.clock.now()) : [];
    const runs = await Promise.all((await deps.runs.list(campaign.id)).map(async (run) => runSummary(run, await deps.runs.batches(campaign.id, run.runId), journeySends(rows, run.runId))));
    const arms = armsOf(campaign);
    return json(200, { ...campaignReport(campaign.id, runs, rows), ...(arms ? { experiment: { ...(campaign.goal ? { goal: campaign.goal } : {}), ...experimentReport(arms, runs, rows) } } : {}) });
  },
  async getCampaignRun(event, campaign, deps) {
    const runId = runIdOf(event);
    const run = await deps.runs.get(campaign.id, runId);
    if (!run) throw notFound('no such run (it may not have started yet)');
    const rows = campaign.journey && deps.reports ? await deps.reports.read(journeyScope(`campaign-${campaign.id}`), new Date(0), deps.clock.now()) : [];
    return json(200, runSummary(run, await deps.runs.batches(campaign.id, runId), journeySends(rows, runId)));
  },
  async controlCampaignRun(event, campaign, deps) {
    const runId = runIdOf(event);
    const action = event.pathParameters?.action;
    if (action !== 'pause' && action !== 'resume' && action !== 'cancel') throw notFound('the actions are pause, resume and cancel');
    const result = await controlRun(campaign.id, runId, action, deps);
    if (result === 'not-found') throw notFound('no such run');
    if (result === 'conflict') throw new HttpError(409, 'Conflict', `a ${action} does not apply to this run now`);
    return json(200, { campaignId: result.campaignId, runId: result.runId, status: result.status });
  },
};

export function createCampaignApiHandler(deps: CampaignApiDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use({
      before: async (request) => {
        const op = operationOf('campaignApi', request.event);
        if (op === 'triggerCampaign') await jsonBody(() => triggerSchema).before!(request as never);
        if (op === 'postCatalogEvents') await jsonBody(() => catalogEventsSchema).before!(request as never);
      },
    })
    .handler(async (event) => {
      const op = operationOf('campaignApi', event);
      if (!op) throw new HttpError(404, 'NotFound', 'no such route');
      if (op === 'postCatalogEvents') return postCatalogEvents(event, deps);
      const campaign = deps.campaigns(event.pathParameters?.id ?? '');
      if (!campaign) throw notFound(`no campaign "${(event.pathParameters?.id ?? '').slice(0, 48)}"`);
      return OPERATIONS[op as CampaignOperation](event, campaign, deps);
    });
}
