import { DynamoDbEntryDirectory } from '../../adapters/dynamodb-entry-directory';
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
  slices: ['journeyCaps'],
  create: (p) => {
    const t = profileTable(p);
    const entries = p.local?.entries ?? new DynamoDbEntryDirectory(t.doc, t.table);
    return createStarterHandler({
      executions: executionsOf(p),
      runs: new DynamoDbRunStore(t.doc, t.table),
      entries,
      // A getter: the local runtime's workspace may be reloaded.
      get journeyCaps() {
        return p.workspace('journeyCaps');
      },
      clock: systemClock,
      reports: t.reports,
      log: p.log('starter'),
    });
  },
});
