import middy from '@middy/core';
import { decideInJourney, type DecideTask, type DecisionDeps } from '../../domain/decisions';
import type { Decision } from '../../domain/offers';
import type { Log, ProfileStore } from '../../ports';

/** Decide steps' task: the offers for the run's profile, once per visit. */
export function createDecideHandler(deps: DecisionDeps & { decisions: (id: string) => Decision | undefined; profiles: ProfileStore; log: Log }) {
  return middy<DecideTask, Awaited<ReturnType<typeof decideInJourney>>>().handler(async (task) => {
    const result = await decideInJourney(task, deps);
    deps.log.info('decide', { step: task.stepId, decision: task.decision, offers: result.offers.length, fallback: result.fallback });
    return result;
  });
}
