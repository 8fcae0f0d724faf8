import middy from '@middy/core';
import * as z from 'zod';
import { finishRun, nextSlot, prepareRun, runBatch, runStatus, type CampaignDeps } from '../../domain/campaigns';
import type { Log } from '../../ports';

// The Tasks of the campaign run state machine (statemachines/campaigns.ts): prepare, nextSlot, status, finish,
// and the batches of the fan-out (Map items: { campaignId, runId, slot, part, pace }).

const ids = { campaignId: z.string(), runId: z.string() };
const input = z.union([
  z.looseObject({ op: z.enum(['prepare', 'finish']), ...ids }),
  z.looseObject({ op: z.literal('nextSlot'), ...ids, after: z.string().optional() }),
  z.looseObject({ op: z.literal('status'), ...ids, error: z.string().optional() }),
  z.looseObject({ op: z.undefined().optional(), ...ids, slot: z.string(), part: z.string(), pace: z.number().positive() }),
]);

export function createCampaignHandler(deps: CampaignDeps & { log: Log }) {
  return middy<unknown, unknown>().handler(async (raw) => {
    const task = input.parse(raw);
    switch (task.op) {
      case 'prepare':
        return prepareRun(task, deps);
      case 'nextSlot':
        return nextSlot(task, deps);
      case 'status':
        return runStatus(task, deps);
      case 'finish': {
        const result = await finishRun(task, deps);
        deps.log.info('campaign run finished', { campaign: task.campaignId, run: task.runId, status: result.status });
        return result;
      }
      default: {
        const outcome = await runBatch(task as { campaignId: string; runId: string; slot: string; part: string; pace: number }, deps);
        deps.log.info('campaign batch', { campaign: task.campaignId, run: task.runId, targeted: outcome.targeted, sent: outcome.sent, failed: outcome.failed });
        return outcome;
      }
    }
  });
}
