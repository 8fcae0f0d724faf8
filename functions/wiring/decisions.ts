import { DynamoDbDecisionLog, DynamoDbOfferCounters, DynamoDbOfferStats } from '../adapters/dynamodb-offer-counters';
import type { DecisionDeps } from '../domain/decisions';
import type { Decision } from '../domain/offers';
import { sliceEntry, type Platform } from '../platform';
import { systemClock } from '../ports';
import { profileTable } from './profile-table';

/** The workspace's decisions, by id. */
export const decisionOf = (p: Platform) => (id: string): Decision | undefined => sliceEntry(p, 'decisions', id);

export function decisionDeps(p: Platform): DecisionDeps {
  const t = profileTable(p);
  return {
    offers: () => p.workspace('offers'),
    counters: new DynamoDbOfferCounters(t.doc, t.table),
    stats: new DynamoDbOfferStats(t.doc, t.table),
    decisionLog: new DynamoDbDecisionLog(t.doc, t.table),
    events: t.events,
    clock: systemClock,
  };
}
