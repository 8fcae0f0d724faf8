import type { Campaign } from '../../statemachines';
import type { BatchOutcome, CampaignRun, CampaignRuns, Clock, Executions } from '../ports';
import { addArmOutcomes } from './experiments';

// A campaign run's record, as the API and the run's first step make it and change it. Apart from campaigns.ts
// (the run's work: recipients, batches, sends) so the campaign API does not bundle the send path.

type RunDeps = { runs: CampaignRuns; clock: Clock };

/** A new run's record (the API creates it with its context; a scheduled run's first step does). */
export function newRun(campaignId: string, runId: string, trigger: CampaignRun['trigger'], now: string, extra: Pick<CampaignRun, 'context' | 'profileIds' | 'fanOut'> = {}): CampaignRun {
  return { campaignId, runId, trigger, status: 'preparing', startedAt: now, pages: 0, prepared: false, slots: [], targeted: 0, failures: 0, version: 1, ...extra };
}

/**
 * Starts a run of a campaign now: the run is saved (a conditional write), then its execution is started under
 * the run id. A retry with the same id (from an Idempotency-Key) is the same run, a replay: it changes nothing,
 * and starts the execution only if a crash left the run saved but not started.
 */
export async function triggerCampaign(
  campaign: Campaign,
  runId: string,
  request: Pick<CampaignRun, 'context' | 'profileIds' | 'fanOut'> & { at?: string },
  deps: RunDeps & { executions: Executions; stateMachineArn: string },
): Promise<{ run: CampaignRun; replay: boolean }> {
  const { at, ...extra } = request;
  const fresh = newRun(campaign.id, runId, 'api', at ? new Date(at).toISOString() : deps.clock.now().toISOString(), extra);
  const replay = !(await deps.runs.save(fresh));
  const run = replay ? ((await deps.runs.get(campaign.id, runId)) ?? fresh) : fresh;
  await deps.executions.start({ stateMachineArn: deps.stateMachineArn, name: runId, input: { campaignId: campaign.id, runId } });
  return { run, replay };
}

/** Pause, resume, cancel: a conditional change of the run's status. */
export async function controlRun(campaignId: string, runId: string, action: 'pause' | 'resume' | 'cancel', deps: RunDeps): Promise<CampaignRun | 'not-found' | 'conflict'> {
  const allowed: Record<typeof action, { from: CampaignRun['status'][]; to: CampaignRun['status'] }> = {
    pause: { from: ['running', 'preparing'], to: 'paused' },
    resume: { from: ['paused'], to: 'running' },
    cancel: { from: ['running', 'paused', 'preparing'], to: 'cancelled' },
  };
  for (;;) {
    const run = await deps.runs.get(campaignId, runId);
    if (!run) return 'not-found';
    if (run.status === allowed[action].to) return run;
    if (!allowed[action].from.includes(run.status)) return 'conflict';
    // A run paused while preparing resumes to running only once prepared; until then it stays preparing.
    const to = action === 'resume' && !run.prepared ? 'preparing' : allowed[action].to;
    const next: CampaignRun = { ...run, status: to, ...(to === 'cancelled' ? { finishedAt: deps.clock.now().toISOString() } : {}), version: run.version + 1 };
    if (await deps.runs.save(next)) return next;
  }
}

/**
 * A run as its report shows it: the run's state and its batches' outcomes summed. A run that enrols into a
 * journey reports how many it enrolled, and as sent (failed) what the journey sent for it (`fromJourney`).
 */
const sumCounts = (list: ReadonlyArray<Record<string, number>>) => {
  const sum: Record<string, number> = {};
  for (const counts of list) for (const [k, n] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + n;
  return sum;
};

export function runSummary(run: CampaignRun, batches: readonly BatchOutcome[], fromJourney: { sent: number; failed: number } = { sent: 0, failed: 0 }) {
  const skipped: Record<string, number> = {};
  for (const b of batches) for (const [reason, n] of Object.entries(b.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
  const sum = (k: 'sent' | 'failed') => batches.reduce((n, b) => n + b[k], 0);
  const arms = addArmOutcomes(batches.map((b) => b.arms));
  return {
    campaignId: run.campaignId,
    runId: run.runId,
    status: run.status,
    trigger: run.trigger,
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    targeted: run.targeted,
    ...(batches.some((b) => b.enrolled !== undefined) ? { enrolled: batches.reduce((n, b) => n + (b.enrolled ?? 0), 0) } : {}),
    sent: sum('sent') + fromJourney.sent,
    skipped,
    failed: sum('failed') + fromJourney.failed,
    sendTimes: run.slots.map((s) => s.at),
    ...(arms ? { arms } : {}),
    ...(batches.some((b) => b.groups) ? { groups: sumCounts(batches.map((b) => b.groups ?? {})) } : {}),
  };
}
