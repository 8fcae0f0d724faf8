import type { Predicate } from '../../statemachines';
import type { EventStore, TaskTokens } from '../ports';
import type { BusDetail } from './events';
import type { Profile } from './profile';
import { cachedPredicate } from './predicate';

// waitForEvent with `since: "entry"`: an event the profile sent before the wait began counts. Standard waits
// (fileWait) and Express parks (continuations.ts park) both look back here, after the wait is filed.

/** What a wait `since` entry reads: the profile's history, and (Standard) the token it answers itself. */
export interface LookBackDeps {
  events?: EventStore;
  tokens?: TaskTokens;
}

/**
 * The first event of the awaited type the profile sent since `since` for which `where` holds: a wait with
 * `since: "entry"` counts it as if it came now. Read after the wait is filed, so an event is either in the
 * history already or resumes the filed wait when it is applied; one in both answers once (a token takes one
 * answer, a continuation one consume).
 */
export async function earlierEvent(profile: Profile, wait: { event: string; where?: Predicate; journeyId: string }, since: string, events: EventStore): Promise<BusDetail['event'] | undefined> {
  const matches = wait.where ? cachedPredicate(wait.where) : undefined;
  for (const h of await events.history(profile.id, since, [wait.event])) {
    const event = { ...h, profileId: profile.id };
    if (h.type === wait.event && (!matches || matches({ event, profile, journey: { id: wait.journeyId } }))) return event;
  }
  return undefined;
}

