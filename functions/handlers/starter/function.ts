import { DynamoDbRunStore } from '../../adapters/dynamodb-runs';
import { executionsOf } from '../../adapters/sfn-executions';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createStarterHandler } from './app';

export const starter = defineFunction({
  name: 'starter',
  description: 'Checks a journey entry condition and starts the execution under a deterministic name',
  settings: ['PROFILES_TABLE'],
  slices: [],
  create: (p) => {
    const t = profileTable(p);
    return createStarterHandler({ executions: executionsOf(p), runs: new DynamoDbRunStore(t.doc, t.table), clock: systemClock, reports: t.reports, log: p.log('starter') });
  },
});
