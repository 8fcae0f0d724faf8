import { resumeSchedulesOf } from '../../adapters/scheduler-resumes';
import { DynamoDbRunStore } from '../../adapters/dynamodb-runs';
import { executionsOf } from '../../adapters/sfn-executions';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createRunsHandler } from './app';

export const runs = defineFunction({
  name: 'runs',
  description: 'Ends runs on exit events, counts goals, records the end of executions, resumes parked runs when due',
  settings: ['PROFILES_TABLE', 'RESUME_SCHEDULE_GROUP'],
  slices: [],
  create: (p) => {
    const t = profileTable(p);
    return createRunsHandler({ runs: new DynamoDbRunStore(t.doc, t.table), profiles: t.profiles, executions: executionsOf(p), clock: systemClock, reports: t.reports, waits: t.waits, schedules: resumeSchedulesOf(p), versions: t.versions, log: p.log('runs') });
  },
  // One alarm watches every journey's failed executions (infra/constructs/observability.ts).
  metrics: (r): Record<string, number> => (r.kind === 'ended' && (r.status === 'FAILED' || r.status === 'TIMED_OUT') ? { 'executions.failed': 1 } : {}),
});
