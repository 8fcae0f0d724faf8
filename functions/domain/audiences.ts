import { createHash } from 'node:crypto';
import { audienceReads, type Audience, type AudiencePredicate, type CountOp } from '../../statemachines/schema/audience';
import { parseDuration } from '../../statemachines/schema/duration';
import type { Bus, Clock, EventStore, ProfileStore } from '../ports';
import type { HistoryEvent, TrackedEvent } from './events';
import { compilePredicate } from './predicate';
import { viewOf, type Profile, type ProfileView } from './profile';
import { changeProfile, loadProfile } from './profile-writes';
import { INGEST_SOURCE } from '../../statemachines/compile/rule';

// Audiences compiled once to plain closures, and kept current as events arrive: an event re-evaluates only
// the audiences that read its type or (when it changed the profile) the profile, and those that refer to
// them. Entries and exits are events (`audience.entered`, `audience.exited`) that journeys can start on.

export type { HistoryEvent };

/** A profile's history by event type, each with its time in epoch milliseconds. */
export type HistoryIndex = ReadonlyMap<string, ReadonlyArray<{ at: number; event: HistoryEvent }>>;

export function indexHistory(events: readonly HistoryEvent[]): HistoryIndex {
  const index = new Map<string, Array<{ at: number; event: HistoryEvent }>>();
  for (const event of events) {
    let list = index.get(event.type);
    if (!list) index.set(event.type, (list = []));
    list.push({ at: Date.parse(event.timestamp), event });
  }
  return index;
}

/**
 * The history an evaluation at `at` needs: the events of these types in the last `seconds` (all kept when
 * Infinity); none read when 0. Streaming, the pass, exports and campaigns all read it this way.
 */
export async function historyWindow(events: EventStore, profileId: string, need: { seconds: number; types: readonly string[] }, at: number): Promise<HistoryIndex> {
  if (need.seconds <= 0) return new Map();
  const since = Number.isFinite(need.seconds) ? new Date(at - need.seconds * 1000).toISOString() : undefined;
  return indexHistory(await events.history(profileId, since, need.types));
}

export interface AudienceScope {
  profile: ProfileView;
  history: HistoryIndex;
  /** Evaluation time, epoch milliseconds. */
  now: number;
  /** Membership of another audience, as evaluated in this pass or as recorded. */
  member(id: string): boolean;
}

type Test = (scope: AudienceScope) => boolean;

const COUNT: Record<CountOp, (n: number, k: number) => boolean> = {
  gte: (n, k) => n >= k,
  gt: (n, k) => n > k,
  lte: (n, k) => n <= k,
  lt: (n, k) => n < k,
  eq: (n, k) => n === k,
};

function compile(p: AudiencePredicate): Test {
  if ('all' in p) {
    const parts = p.all.map(compile);
    return (s) => parts.every((f) => f(s));
  }
  if ('any' in p) {
    const parts = p.any.map(compile);
    return (s) => parts.some((f) => f(s));
  }
  if ('not' in p) {
    const inner = compile(p.not);
    return (s) => !inner(s);
  }
  if ('audience' in p) {
    const id = p.audience;
    return (s) => s.member(id);
  }
  if ('event' in p) {
    const type = p.event;
    const windowMs = p.within ? (parseDuration(p.within) as { seconds: number }).seconds * 1000 : Infinity;
    const where = p.where ? compilePredicate(p.where) : undefined;
    const [op, k] = (Object.entries(p.count ?? { gte: 1 }).find(([, v]) => v !== undefined) ?? ['gte', 1]) as [CountOp, number];
    const holds = COUNT[op];
    return (s) => {
      const since = s.now - windowMs;
      let n = 0;
      for (const { at, event } of s.history.get(type) ?? []) if (at >= since && at <= s.now && (!where || where({ event }))) n += 1;
      return holds(n, k);
    };
  }
  const test = compilePredicate(p);
  return (s) => test({ profile: s.profile });
}

export interface CompiledAudience {
  id: string;
  test: Test;
  /** Event types read, directly or through the audiences it refers to. */
  events: ReadonlySet<string>;
  readsProfile: boolean;
  /** Seconds of history needed (Infinity: all of it; 0: none). */
  historySeconds: number;
  /** Membership can change with no event: a history condition with a sliding window. */
  timeDependent: boolean;
  /** The audiences it refers to, directly or not. */
  dependsOn: ReadonlySet<string>;
}

export interface AudienceSet {
  /** In dependency order. */
  audiences: readonly CompiledAudience[];
  /** The audiences an event can change: by its type, and whether it changed the profile. */
  affectedBy(eventType: string, profileChanged: boolean): Set<string>;
  /** The audiences the scheduled pass re-evaluates. */
  timeDependent(): Set<string>;
}

export function compileAudiences(ordered: readonly Audience[]): AudienceSet {
  const compiled = new Map<string, CompiledAudience>();
  for (const a of ordered) {
    const reads = audienceReads(a.where);
    // An audience not in this set (an offer's eligibility naming one) is read from the profile's recorded membership.
    const refs = [...reads.audiences].map((id) => compiled.get(id)).filter((r): r is CompiledAudience => r !== undefined);
    const ownWindows = reads.windows;
    compiled.set(a.id, {
      id: a.id,
      test: compile(a.where),
      events: new Set([...reads.events, ...refs.flatMap((r) => [...r.events])]),
      readsProfile: reads.profile || refs.some((r) => r.readsProfile),
      historySeconds: Math.max(0, ...ownWindows, ...refs.map((r) => r.historySeconds)),
      timeDependent: ownWindows.some((w) => Number.isFinite(w)) || refs.some((r) => r.timeDependent),
      dependsOn: new Set(refs.flatMap((r) => [r.id, ...r.dependsOn])),
    });
  }
  const audiences = [...compiled.values()];
  return {
    audiences,
    affectedBy: (type, profileChanged) => new Set(audiences.filter((a) => a.events.has(type) || (profileChanged && a.readsProfile)).map((a) => a.id)),
    timeDependent: () => new Set(audiences.filter((a) => a.timeDependent).map((a) => a.id)),
  };
}

/** Evaluates the audiences in `only` (all when absent) for one profile; the others keep their recorded membership. */
export function evaluateAudiences(set: AudienceSet, profile: Profile, history: HistoryIndex, now: number, only?: ReadonlySet<string>): Map<string, boolean> {
  const results = new Map<string, boolean>();
  const recorded = profile.audiences ?? {};
  const scope: AudienceScope = {
    profile: viewOf(profile),
    history,
    now,
    member: (id) => results.get(id) ?? Object.hasOwn(recorded, id),
  };
  for (const a of set.audiences) if (!only || only.has(a.id)) results.set(a.id, a.test(scope));
  return results;
}

export interface AudienceDeps {
  audiences: AudienceSet;
  profiles: ProfileStore;
  events: EventStore;
  clock: Clock;
}

const membershipEventId = (audience: string, profileId: string, cause: string, kind: string) =>
  `aud-${createHash('sha256').update(`${audience}\u0000${profileId}\u0000${cause}\u0000${kind}`).digest('hex').slice(0, 40)}`;

/**
 * Re-evaluates the given audiences for a profile and records entries and exits on it (a conditional write).
 * Returns the profile as stored and the membership events to publish. Their ids derive from the cause (the
 * event, or the scheduled pass), so a cause processed twice yields the same events: journeys start once.
 */
export async function updateAudiences(profile: Profile, affected: ReadonlySet<string>, cause: string, deps: AudienceDeps): Promise<{ profile: Profile; events: TrackedEvent[] }> {
  if (affected.size === 0) return { profile, events: [] };
  const nowDate = deps.clock.now();
  const now = nowDate.getTime();
  const reading = deps.audiences.audiences.filter((a) => affected.has(a.id));
  const seconds = Math.max(0, ...reading.map((a) => a.historySeconds));
  const types = [...new Set(reading.flatMap((a) => [...a.events]))];
  const history = await historyWindow(deps.events, profile.id, { seconds, types }, now);
  const results = evaluateAudiences(deps.audiences, profile, history, now, affected);
  const at = nowDate.toISOString();
  let entered: string[] = [];
  let exited: string[] = [];
  const stored = await changeProfile(profile.id, deps, (current, stamp) => {
    const before = current.audiences ?? {};
    entered = [...results].filter(([id, inside]) => inside && !Object.hasOwn(before, id)).map(([id]) => id);
    exited = [...results].filter(([id, inside]) => !inside && Object.hasOwn(before, id)).map(([id]) => id);
    if (entered.length === 0 && exited.length === 0) return undefined;
    const next = { ...before };
    for (const id of entered) next[id] = at;
    for (const id of exited) delete next[id];
    return { ...current, audiences: next, updatedAt: stamp, version: current.version + 1 };
  });
  const event = (audience: string, kind: 'entered' | 'exited'): TrackedEvent => ({
    id: membershipEventId(audience, stored.id, cause, kind),
    type: `audience.${kind}`,
    profileId: stored.id,
    timestamp: at,
    properties: { audience },
  });
  return { profile: stored, events: [...entered.map((a) => event(a, 'entered')), ...exited.map((a) => event(a, 'exited'))] };
}

/**
 * After a change to a profile outside ingest (a journey's updateProfile step): re-evaluates the audiences that
 * read the profile, records the membership events in the history and publishes them. `cause` is the step's
 * key (execution, step, visit), so a retried step publishes the same events.
 */
export async function audiencesAfterChange(profileId: string, cause: string, deps: AudienceDeps & { bus: Bus }): Promise<number> {
  const profile = await loadProfile(deps.profiles, profileId);
  if (!profile) return 0;
  const { profile: stored, events } = await updateAudiences(profile, deps.audiences.affectedBy('profile.updated', true), cause, deps);
  for (const e of events) await deps.events.appendHistory(e);
  if (events.length > 0) await deps.bus.publish(events.map((e) => ({ source: INGEST_SOURCE, detailType: e.type, detail: { event: e, profile: viewOf(stored) } })));
  return events.length;
}
