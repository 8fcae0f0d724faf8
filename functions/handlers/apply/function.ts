import { defineFunction } from '../../platform';
import { ingestDeps } from '../../wiring/ingest';
import { createApplyHandler } from './app';

export const apply = defineFunction({
  name: 'apply',
  description: 'Applies accepted events in order per profile: stitching, merge, history, audiences, the bus',
  settings: ['PROFILES_TABLE', 'EVENT_BUS_NAME', 'RESUME_SCHEDULE_GROUP'],
  slices: ['audiences', 'decisions', 'fanOuts'],
  create: (p) => createApplyHandler(ingestDeps(p, p.log('apply'))),
  metrics: (r) => ({ 'events.apply.failed': r.batchItemFailures.length }),
});
