import { DynamoDbProfileStore } from '../adapters/dynamodb-profiles';
import { DynamoDbEventStore } from '../adapters/dynamodb-events';
import { DynamoDbIdentityStore } from '../adapters/dynamodb-identities';
import { DynamoDbSuppressions } from '../adapters/dynamodb-suppressions';
import { DynamoDbWaitingStore } from '../adapters/dynamodb-waiting';
import { DynamoDbReportCounters } from '../adapters/dynamodb-reports';
import { DynamoDbJourneyVersions } from '../adapters/dynamodb-journey-versions';
import { DynamoDbLearnedStore } from '../adapters/dynamodb-learned';
import { documentClient } from '../adapters/dynamodb-client';
import { profilesTable, type Platform } from '../platform';
import { systemClock } from '../ports';

// The dependencies functions share, built from a platform (functions/platform.ts), one concern a file so a
// function's bundle holds only what it builds. Each function's function.ts composes them.

/** Adapters over the profiles table, made once per platform. */
export function profileTable(p: Platform) {
  return p.once('profile-table', () => {
    const doc = documentClient(p);
    const table = profilesTable(p);
    return {
      doc,
      table,
      profiles: new DynamoDbProfileStore(doc, table),
      identities: new DynamoDbIdentityStore(doc, table),
      events: new DynamoDbEventStore(doc, table),
      waits: new DynamoDbWaitingStore(doc, table),
      reports: new DynamoDbReportCounters(doc, table),
      versions: new DynamoDbJourneyVersions(doc, table),
      suppressions: new DynamoDbSuppressions(doc, table, systemClock),
      learned: new DynamoDbLearnedStore(doc, table),
    };
  });
}
