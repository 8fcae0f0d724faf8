import { createHash } from 'node:crypto';
import type { Campaign, Journey } from '../../statemachines';
import { parseDuration } from '../../statemachines/schema/duration';
import type { TrackedEvent } from './events';
import { readPath } from './predicate';

// Fan-out by correlation: a catalog event (no profile: item.restocked {sku}) enters every profile whose own
// event (product.viewed {sku}) had the same value within a window. An index of interests, written as the
// profile events are applied (FX#<journey>#<value> / <profile>), names them: a catalog event reads only its
// matches, whatever the population. The entering is a campaign run of the journey (paced, resumable, each profile
// once per run), whose id is a hash of journey and catalog event: the event delivered twice is the same run.

export interface FanOut {
  journeyId: string;
  /** The catalog event type. */
  trigger: string;
  key: string;
  profiles: { event: string; key: string; within: string };
  rateLimit: number;
}

const MAX_VALUE = 256;

/** The fan-out entries of the workspace's journeys. */
export function fanOutsOf(journeys: ReadonlyArray<Pick<Journey, 'id' | 'entry'>>): FanOut[] {
  return journeys.flatMap(({ id, entry }) => (entry.fanOut && entry.event ? [{ journeyId: id, trigger: entry.event, key: entry.fanOut.key, profiles: entry.fanOut.profiles, rateLimit: entry.fanOut.rateLimit }] : []));
}

/** The id of the campaign a fan-out runs as. */
export const fanOutCampaignId = (journeyId: string) => `fanout-${journeyId}`;

/** The campaign a fan-out runs as: it enrols the profiles of each run into the journey. */
export const fanOutCampaign = (f: FanOut): Campaign => ({ id: fanOutCampaignId(f.journeyId), name: `Fan-out of ${f.trigger} into ${f.journeyId}`, journey: f.journeyId, trigger: 'api', rateLimit: f.rateLimit });

const valueAt = (event: Pick<TrackedEvent, 'properties' | 'type' | 'id'>, path: string): string | undefined => {
  const v = readPath({ event }, path);
  return (typeof v === 'string' && v !== '') || typeof v === 'number' ? String(v).slice(0, MAX_VALUE) : undefined;
};

const seconds = (d: string) => (parseDuration(d) as { seconds: number }).seconds;

/** What a profile's event adds to the index: one interest per fan-out it matters to, until its window ends. */
export function interestsOf(event: Pick<TrackedEvent, 'id' | 'type' | 'timestamp' | 'properties'>, fanOuts: readonly FanOut[]) {
  return fanOuts.flatMap((f) => {
    const value = f.profiles.event === event.type ? valueAt(event, f.profiles.key) : undefined;
    return value === undefined ? [] : [{ journeyId: f.journeyId, value, at: event.timestamp, expiresAt: Math.ceil(Date.parse(event.timestamp) / 1000 + seconds(f.profiles.within)) }];
  });
}

/** The runs a catalog event starts: one per fan-out on its type that finds its key in it. */
export function catalogRuns(event: Pick<TrackedEvent, 'id' | 'type' | 'timestamp' | 'properties'>, fanOuts: readonly FanOut[]) {
  return fanOuts.flatMap((f) => {
    const value = f.trigger === event.type ? valueAt(event, f.key) : undefined;
    if (value === undefined) return [];
    const runId = `fx-${createHash('sha256').update(`${f.journeyId}\u0000${event.id}`).digest('hex').slice(0, 40)}`;
    const since = new Date(Date.parse(event.timestamp) - seconds(f.profiles.within) * 1000).toISOString();
    return [{ fanOut: f, runId, value, since }];
  });
}
