import middy from '@middy/core';
import { logRef } from '../../logger';
import * as z from 'zod';
import { endRun, exitRuns, reachGoal, type RunEventInput } from '../../domain/runs';
import type { Clock, Executions, Log, ProfileStore, JourneyVersions, ReportCounters, ResumeSchedules, RunStore, WaitingStore } from '../../ports';
import { loadProfile } from '../../domain/profile-writes';
import { resume } from '../../domain/continuations';

// The runs function, fed by three kinds of rule: a journey's exitOn events, its goal event, and Step
// Functions' own "Execution Status Change" events, which mark runs ended at no cost in state transitions; and
// by the resume schedules of parked Express runs.

const busDetail = z.object({
  event: z.object({ id: z.string(), type: z.string(), profileId: z.string(), timestamp: z.string(), properties: z.record(z.string(), z.unknown()) }),
  profile: z.object({ id: z.string(), attributes: z.record(z.string(), z.unknown()) }),
});
const runsInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['exit', 'goal']),
    journey: z.object({ id: z.string() }),
    events: z.array(z.object({ event: z.string(), where: z.any().optional() })),
    correlateBy: z.string().optional(),
    goal: z.object({ within: z.string(), exit: z.boolean() }).optional(),
    detail: busDetail,
  }),
  // A parked Express run's resume schedule fired (EventBridge Scheduler, or the local timers).
  z.object({ kind: z.literal('resume'), ref: z.object({ profileId: z.string(), eventType: z.string(), key: z.string() }) }),
  z.object({
    kind: z.literal('ended'),
    detail: z.object({ executionArn: z.string(), status: z.string(), input: z.string(), stopDate: z.number().optional() }),
  }),
]);

export interface RunsDeps {
  reports?: ReportCounters;
  /** The profile's waits, cleared when their run ends. */
  waits?: WaitingStore;
  /** Express runs: the resume schedules of parked runs, deleted when an exit cancels them. */
  schedules?: ResumeSchedules;
  /** Express runs resume on the version they entered. */
  versions?: JourneyVersions;
  runs: RunStore;
  profiles: ProfileStore;
  executions: Executions;
  clock: Clock;
  log: Log;
}

export function createRunsHandler(deps: RunsDeps) {
  return middy<unknown, { kind: string; count: number; status?: string }>().handler(async (raw) => {
    const input = runsInput.parse(raw);
    if (input.kind === 'resume') {
      if (!deps.schedules || !deps.waits) throw new Error('the runs function resumes parked runs with its waits and schedules');
      const outcome = await resume(input.ref, { kind: 'due' }, { waits: deps.waits, schedules: deps.schedules, executions: deps.executions, ...(deps.versions ? { versions: deps.versions } : {}) });
      return { kind: 'resume', count: outcome === 'resumed' ? 1 : 0 };
    }
    if (input.kind === 'ended') {
      const ended = await endRun(input.detail, deps.runs, deps.clock.now(), async (id) => (await loadProfile(deps.profiles, id))?.id ?? id, deps.reports ? { reports: deps.reports, executions: deps.executions } : undefined, deps.waits);
      return { kind: 'ended', count: ended ? 1 : 0, status: input.detail.status };
    }
    const count = input.kind === 'exit' ? await exitRuns(input as RunEventInput, deps) : await reachGoal(input as RunEventInput, deps);
    deps.log.info(`journey ${input.kind}`, { journey: input.journey.id, eventRef: logRef(input.detail.event.id), count });
    return { kind: input.kind, count };
  });
}
