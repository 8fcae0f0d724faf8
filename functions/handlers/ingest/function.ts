import { defineFunction } from '../../platform';
import { ingestDeps } from '../../wiring/ingest';
import { createIngestHandler } from './app';

export const ingest = defineFunction({
  name: 'ingest',
  description: 'Accepts events, merges profiles, publishes to the bus',
  settings: ['PROFILES_TABLE', 'EVENT_BUS_NAME'],
  slices: ['audiences', 'decisions'],
  create: (p) => createIngestHandler(ingestDeps(p, p.log('ingest'))),
  metrics: (r) => {
    const body = typeof r === 'object' && typeof r.body === 'string' && r.statusCode === 202 ? (JSON.parse(r.body) as { accepted: unknown[]; duplicates: unknown[] }) : undefined;
    return { 'events.accepted': body?.accepted.length ?? 0, 'events.duplicates': body?.duplicates.length ?? 0 };
  },
});
