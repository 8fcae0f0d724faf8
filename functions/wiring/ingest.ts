import { DynamoDbProfileData } from '../adapters/dynamodb-profile-data';
import { DynamoDbInbox } from '../adapters/dynamodb-inbox';
import { DynamoDbInterestIndex } from '../adapters/dynamodb-interest-index';
import { DynamoDbOfferStats } from '../adapters/dynamodb-offer-counters';
import { busOf } from '../adapters/eventbridge-bus';
import { taskTokensOf } from '../adapters/sfn-task-tokens';
import { executionsOf } from '../adapters/sfn-executions';
import { resumeSchedulesOf } from '../adapters/scheduler-resumes';
import type { IngestDeps } from '../domain/ingest';
import type { IngestApiDeps } from '../handlers/ingest/app';
import { eventQueueOf } from '../adapters/sqs-event-queue';
import { DEFAULT_MAX_FUTURE_SECONDS } from '../domain/storable';
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
    resume: { waits: t.waits, tokens: taskTokensOf(p), executions: executionsOf(p), schedules: resumeSchedulesOf(p), versions: t.versions },
    messages: { inbox: new DynamoDbInbox(t.doc, t.table), reports: t.reports },
    interests: { fanOuts: () => p.workspace('fanOuts'), index: new DynamoDbInterestIndex(t.doc, t.table) },
    log,
  };
}

/** Defaults of the ingest API's limits (settings override them; the CDK app takes them from context). */
export const INGEST_LIMITS = { maxFutureSeconds: DEFAULT_MAX_FUTURE_SECONDS, maxDepth: 500_000, maxAgeSeconds: 600 } as const;

const numberSetting = (p: Platform, name: 'MAX_FUTURE_SECONDS' | 'INGEST_MAX_QUEUE_DEPTH' | 'INGEST_MAX_QUEUE_AGE_SECONDS', fallback: number) => {
  const value = p.optional(name);
  return value === undefined || value === '' ? fallback : Number(value);
};

/** The ingest API: receipts, the queue, its limits; no profile writes. */
export function acceptDeps(p: Platform, log: Log): IngestApiDeps {
  const t = profileTable(p);
  return {
    events: t.events,
    queue: eventQueueOf(p),
    clock: systemClock,
    log,
    limits: {
      maxFutureSeconds: numberSetting(p, 'MAX_FUTURE_SECONDS', INGEST_LIMITS.maxFutureSeconds),
      maxDepth: numberSetting(p, 'INGEST_MAX_QUEUE_DEPTH', INGEST_LIMITS.maxDepth),
      maxAgeSeconds: numberSetting(p, 'INGEST_MAX_QUEUE_AGE_SECONDS', INGEST_LIMITS.maxAgeSeconds),
    },
  };
}
