import { INGEST_SOURCE } from '../../statemachines/compile/rule';
import { CHANNELS, feedbackOf } from '../../statemachines/channels';
import type { Bus, BusEntry, Clock, EventQueue, EventStore, IdentityStore, Inbox, InterestIndex, ProfileData, ProfileStore, QueuePressure, ReportCounters, SentBy } from '../ports';
import { feedbackMetrics } from './reports';
import { attributeIdentities, repointIdentities, stitch } from './identity';
import { setConsent } from './consent';
import type { TrackedEvent } from './events';
import { mergeAttributes, viewOf, type Profile } from './profile';
import { changeProfile } from './profile-writes';
import { resumeWaiting, type ResumeDeps } from './wait-for-event';
import { updateAudiences, type AudienceSet } from './audiences';
import { outcomeOf, outcomeSegments, type Decision } from './offers';
import type { OfferStatsStore } from './decisions';
import { interestsOf, type FanOut } from './fan-out';
import { choiceEngagement } from './channel-choice';

export interface IngestDeps {
  profiles: ProfileStore;
  identities: IdentityStore;
  /** What merges move from one profile to another. */
  data: ProfileData;
  events: EventStore;
  bus: Bus;
  clock: Clock;
  /** Profiles waiting in waitForEvent steps, resumed by the events they wait for. */
  resume: ResumeDeps;
  /** The workspace's audiences, kept current as events arrive. */
  audiences?: AudienceSet;
  /** Offer outcomes (offer.displayed, offer.clicked, offer.converted) counted for the bandit decisions. */
  outcomes?: { stats: OfferStatsStore; decisions: () => Iterable<Decision> };
  /** Messages kept for the profile (the in-app inbox), and the report that counts what apps say of them. */
  messages?: { inbox: Inbox; reports?: ReportCounters };
  /** Fan-out journeys: the interests a profile's events mark (product.viewed {sku}), indexed by value. */
  interests?: { fanOuts: () => readonly FanOut[]; index: InterestIndex };
}

/**
 * An app's feedback on a message kept for the profile (inbox.viewed, inbox.clicked, inbox.dismissed, with
 * properties.messageId): the message changes (dismissed: it leaves the inbox), and the report counts it once
 * under the journey and step that sent it, keyed by the event.
 */
async function messageFeedback(event: TrackedEvent, profileId: string, deps: NonNullable<IngestDeps['messages']> & { clock: Clock }): Promise<SentBy | undefined> {
  const feedback = feedbackOf(event.type);
  const { journey, step, groups } = (event.properties ?? {}) as { journey?: unknown; step?: unknown; groups?: unknown };
  // Push: the app echoes the message's data; the report counts the open under its journey and step, once.
  if (feedback?.channel === 'push' && typeof journey === 'string' && typeof step === 'string') {
    await deps.reports?.count(`${event.id}#feedback`, deps.clock.now(), feedbackMetrics({ id: journey }, step, groups, event.type));
    return undefined;
  }
  const messageId = (event.properties as { messageId?: unknown } | undefined)?.messageId;
  if (!feedback || CHANNELS[feedback.channel].address !== 'profile' || typeof messageId !== 'string') return undefined;
  const sentBy = await deps.inbox.react(profileId, messageId, feedback.kind);
  if (sentBy) await deps.reports?.count(`${event.id}#feedback`, deps.clock.now(), feedbackMetrics({ id: sentBy.journey }, sentBy.step, sentBy.groups, event.type));
  return sentBy;
}

export interface IngestResult {
  accepted: string[];
  duplicates: string[];
  /** Event id to the profile it was stitched to (not part of the API answer). */
  stitched: Map<string, string>;
}

/** Finds (or stitches) the event's profile, links its identities, and merges its attributes. */
async function upsertProfile(event: TrackedEvent, deps: IngestDeps): Promise<Profile> {
  const { profileId, linked, merged } = await stitch(event.profileId, [...(event.identities ?? []), ...attributeIdentities(event.attributes)], deps);
  const stored = await changeProfile(profileId, deps, (current, now) => {
    const given = event.attributes ?? {};
    const unset = event.replaceAttributes ? Object.keys(current.attributes).filter((k) => !Object.hasOwn(given, k)) : (event.unset ?? []);
    let merged = mergeAttributes(current, given, event.timestamp, now, unset);
    for (const c of event.consents ?? []) merged = setConsent(merged ?? current, { ...c, at: event.timestamp }, now) ?? merged;
    if (merged && merged.version > current.version + 1) merged = { ...merged, version: current.version + 1 };
    const base = merged ?? current;
    const missing = linked.filter((i) => !base.identities?.includes(i));
    if (missing.length === 0) return merged;
    return { ...base, identities: [...(base.identities ?? []), ...missing].sort(), updatedAt: now, version: current.version + 1 };
  });
  // A merge here, or of this profile by another profile's events applied in parallel: the identities linked
  // here point to the survivor too (a merge moves only the identities it saw on the profile).
  if (merged || stored.id !== profileId) await repointIdentities(linked, stored.id, deps);
  return stored;
}

/** The first event of each id in a batch, in order; the ids repeated within it are duplicates. */
function firstOfEachId(events: readonly TrackedEvent[]): { unique: Map<string, TrackedEvent>; duplicates: string[] } {
  const duplicates: string[] = [];
  const unique = new Map<string, TrackedEvent>();
  for (const e of events) {
    if (unique.has(e.id)) duplicates.push(e.id);
    else unique.set(e.id, e);
  }
  return { unique, duplicates };
}

export interface AcceptDeps {
  events: EventStore;
  queue: EventQueue;
  clock: Clock;
}

/**
 * The API's part: records each id (a conditional write, so concurrent copies of one id get one "accepted"), then
 * enqueues, in order per profile. An id recorded but not applied yet is enqueued again (the request that
 * recorded it may have failed before enqueueing); the queue's deduplication and the consumer's receipt check
 * keep that to one application.
 */
export async function acceptEvents(events: readonly TrackedEvent[], deps: AcceptDeps): Promise<{ accepted: string[]; duplicates: string[] }> {
  const { unique, duplicates } = firstOfEachId(events);
  const receivedAt = deps.clock.now().toISOString();
  const list = [...unique.values()];
  const statuses = await deps.events.claim(list, receivedAt);
  const toQueue = list.filter((_, i) => statuses[i] !== 'published');
  if (toQueue.length > 0) await deps.queue.send(toQueue.map((event) => ({ event, receivedAt })));
  list.forEach((e, i) => {
    if (statuses[i] !== 'new') duplicates.push(e.id);
  });
  return { accepted: list.filter((_, i) => statuses[i] === 'new').map((e) => e.id), duplicates };
}

export interface IngestLimits {
  /** Messages waiting beyond which the API answers 503. */
  maxDepth: number;
  /** Age of the oldest waiting message beyond which the API answers 503 (where the queue reports it). */
  maxAgeSeconds: number;
}

/** Why the queue is too far behind to take more now, or undefined. */
export function overloaded(pressure: QueuePressure, limits: IngestLimits): string | undefined {
  if (pressure.depth > limits.maxDepth) return `${pressure.depth} events are waiting to be applied (the limit is ${limits.maxDepth})`;
  if (pressure.oldestAgeSeconds !== undefined && pressure.oldestAgeSeconds > limits.maxAgeSeconds) return `the oldest waiting event is ${Math.round(pressure.oldestAgeSeconds)} s old (the limit is ${limits.maxAgeSeconds} s)`;
  return undefined;
}

/**
 * Applies events (the consumer of the queue; feedback events directly) at least once and processes each at most once: an event id is recorded before any effect
 * (conditional write); an id whose effects all happened (published) is a duplicate; an id recorded but not
 * published (a crash half-way) is processed again, and every step of that is idempotent.
 */
export async function ingest(events: readonly TrackedEvent[], deps: IngestDeps, receivedAt = deps.clock.now().toISOString()): Promise<IngestResult> {
  const { unique, duplicates } = firstOfEachId(events);
  // Events of one profile in order, profiles side by side.
  const byProfile = new Map<string, TrackedEvent[]>();
  for (const e of unique.values()) byProfile.set(e.profileId, [...(byProfile.get(e.profileId) ?? []), e]);

  const entries: BusEntry[] = [];
  const stitched = new Map<string, string>();
  const toMark: string[] = [];
  await Promise.all(
    [...byProfile.values()].map(async (list) => {
      for (const sent of list) {
        const receipt = await deps.events.receive(sent, receivedAt);
        if (receipt.status === 'published') {
          duplicates.push(sent.id);
          continue;
        }
        // The timestamp the id was first accepted with: a copy sent later (no timestamp of its own) is the same event.
        const event = receipt.timestamp && receipt.timestamp !== sent.timestamp ? { ...sent, timestamp: receipt.timestamp } : sent;
        const profile = await upsertProfile(event, deps);
        // From here on the event belongs to the profile it was stitched to.
        const { attributes: _merged, identities: _linked, unset: _unset, replaceAttributes: _replace, consents: _consents, quiet, ...rest } = { ...event, profileId: profile.id };
        stitched.set(event.id, profile.id);
        await deps.events.appendHistory({ ...rest });
        for (const i of deps.interests ? interestsOf(rest, deps.interests.fanOuts()) : []) await deps.interests!.index.record(i.journeyId, i.value, profile.id, i.at, i.expiresAt);
        let current = profile;
        let membership: TrackedEvent[] = [];
        if (deps.audiences) {
          const changedProfile = event.attributes !== undefined || event.unset !== undefined || event.replaceAttributes === true || (event.identities?.length ?? 0) > 0 || event.consents !== undefined;
          ({ profile: current, events: membership } = await updateAudiences(profile, deps.audiences.affectedBy(event.type, changedProfile), event.id, { ...deps, audiences: deps.audiences }));
        }
        const outcome = deps.outcomes && outcomeOf(event);
        if (outcome) await deps.outcomes!.stats.record(event.id, outcome.offerId, outcome.kind, outcomeSegments(deps.outcomes!.decisions(), current));
        const kept = deps.messages ? await messageFeedback(event, current.id, { ...deps.messages, clock: deps.clock }) : undefined;
        // A channel choice learns from the first engagement with each message it sent (an in-app message's
        // tags are kept with it in the inbox: the app's event names only the message).
        const engaged = deps.outcomes && choiceEngagement(kept ? { ...event, properties: { ...kept, messageId: event.properties?.messageId } } : event, feedbackOf(event.type)?.kind);
        if (engaged) await deps.outcomes!.stats.record(engaged.once, engaged.arm, 'clicks', [engaged.segment]);
        for (const e of [rest, ...membership]) {
          if (e !== rest) await deps.events.appendHistory(e);
          if (quiet) continue;
          const detail = { event: e, profile: viewOf(current) };
          await resumeWaiting(detail, deps.resume);
          entries.push({ source: INGEST_SOURCE, detailType: e.type, detail });
        }
        toMark.push(event.id);
      }
    }),
  );
  if (entries.length > 0) await deps.bus.publish(entries);
  await Promise.all(toMark.map((id) => deps.events.markPublished(id)));
  const processed = new Set(toMark);
  return { accepted: [...unique.keys()].filter((id) => processed.has(id)), duplicates, stitched };
}
