import { DynamoDbProfileData } from '../adapters/dynamodb-profile-data';
import { DynamoDbInbox } from '../adapters/dynamodb-inbox';
import { DynamoDbOfferStats } from '../adapters/dynamodb-offer-counters';
import { busOf } from '../adapters/eventbridge-bus';
import { taskTokensOf } from '../adapters/sfn-task-tokens';
import type { IngestDeps } from '../domain/ingest';
import type { Platform } from '../platform';
import { systemClock, type Log } from '../ports';
import { audienceSetOf } from './audiences';
import { profileTable } from './profile-table';

export function ingestDeps(p: Platform, log: Log): IngestDeps & { log: Log } {
  const t = profileTable(p);
  return {
    audiences: audienceSetOf(p),
    outcomes: { stats: new DynamoDbOfferStats(t.doc, t.table), decisions: () => Object.values(p.workspace('decisions')) },
    profiles: t.profiles,
    identities: t.identities,
    data: new DynamoDbProfileData(t.doc, t.table),
    events: t.events,
    bus: busOf(p),
    clock: systemClock,
    resume: { waits: t.waits, tokens: taskTokensOf(p) },
    messages: { inbox: new DynamoDbInbox(t.doc, t.table), reports: t.reports },
    log,
  };
}
