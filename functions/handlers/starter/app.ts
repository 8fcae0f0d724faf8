import middy from '@middy/core';
import * as z from 'zod';
import { predicateSchema } from '../../../statemachines/schema/predicate';
import { reentrySchema } from '../../../statemachines/schema/reentry';
import { startJourney, type StartDeps, type StarterInput, type StartOutcome } from '../../domain/journey-start';
import type { Log } from '../../ports';
import { logRef } from '../../logger';

// The target input is written by our own bus rule; checking it anyway turns a wiring mistake into a clear
// error (and, through Lambda's async retries, a message in the dead-letter queue) instead of a bad execution.
const starterInput = z.object({
  journey: z.object({ id: z.string(), version: z.string().optional() }),
  stateMachineArn: z.string().min(1),
  aliasArn: z.string().min(1).optional(),
  when: predicateSchema.optional(),
  correlateBy: z.string().optional(),
  reentry: reentrySchema.optional(),
  execution: z.enum(['express', 'standard']).optional(),
  via: z.literal('event').optional(),
  priority: z.int().optional(),
  category: z.string().optional(),
  paused: z.literal(true).optional(),
  detail: z.object({
    event: z.object({ id: z.string(), type: z.string(), profileId: z.string(), timestamp: z.string(), properties: z.record(z.string(), z.unknown()) }),
    profile: z.object({ id: z.string(), attributes: z.record(z.string(), z.unknown()) }),
  }),
});

export function createStarterHandler(deps: StartDeps & { log: Log }) {
  return middy<unknown, { outcome: StartOutcome }>().handler(async (raw) => {
    const input = starterInput.parse(raw) as StarterInput;
    const outcome = await startJourney(input, deps);
    deps.log.info('journey entry', { journey: input.journey.id, eventRef: logRef(input.detail.event.id), outcome });
    return { outcome };
  });
}
