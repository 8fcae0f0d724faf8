import type { Journey } from '../schema/journey';
import type { Predicate } from '../schema/predicate';

// How a journey is wired to the event bus, shared by the CDK app and the local runtime's in-process bus.

/** The source of events that the ingest path puts on the bus. */
export const INGEST_SOURCE = 'journeys.ingest';

export interface EntryRule {
  /** An EventBridge event pattern. */
  eventPattern: { source: string[]; 'detail-type': string[] };
  /** The static part of the starter's input; the bus adds the event's detail as `detail`. */
  target: { journey: { id: string }; when?: Predicate };
}

export function entryRule(journey: Journey): EntryRule {
  return {
    eventPattern: { source: [INGEST_SOURCE], 'detail-type': [journey.entry.event] },
    target: { journey: { id: journey.id }, ...(journey.entry.when ? { when: journey.entry.when } : {}) },
  };
}
