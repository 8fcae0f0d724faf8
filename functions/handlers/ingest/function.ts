import { defineFunction } from '../../platform';
import { acceptDeps } from '../../wiring/ingest';
import { createIngestHandler } from './app';

export const ingest = defineFunction({
  name: 'ingest',
  description: 'Validates events and profile writes, records their ids, enqueues them (SQS FIFO, per profile)',
  settings: ['PROFILES_TABLE', 'EVENTS_QUEUE_URL'],
  optional: ['MAX_FUTURE_SECONDS', 'INGEST_MAX_QUEUE_DEPTH', 'INGEST_MAX_QUEUE_AGE_SECONDS'],
  slices: ['attributes'],
  create: (p) => createIngestHandler({ ...acceptDeps(p, p.log('ingest')), attributes: () => p.workspace('attributes') }),
  metrics: (r) => {
    const body = typeof r === 'object' && typeof r.body === 'string' && r.statusCode === 202 ? (JSON.parse(r.body) as { accepted: unknown[]; duplicates: unknown[] }) : undefined;
    return { 'events.accepted': body?.accepted.length ?? 0, 'events.duplicates': body?.duplicates.length ?? 0, 'events.refused.overloaded': typeof r === 'object' && r.statusCode === 503 ? 1 : 0 };
  },
});
