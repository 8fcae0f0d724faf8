// The real-time profile: attributes merged last-write-wins per attribute, by the time the source says the
// value was true (the event timestamp), so replays and out-of-order events converge to the same profile.

export type ConsentStatus = 'granted' | 'denied';
export interface ConsentRecord {
  status: ConsentStatus;
  at: string;
}
/** Consent per channel and list: channel → list → record (see consent.ts). */
export type Consents = Record<string, Record<string, ConsentRecord>>;

export type Attributes = Record<string, unknown>;

export interface Profile {
  id: string;
  attributes: Attributes;
  /** When each attribute was last set, ISO 8601, for last-write-wins. */
  attributeTimes: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-lock version: 0 means not stored yet. */
  version: number;
  /** Keys of the latest journey updates applied, so a retried update is not applied twice. */
  appliedUpdates?: string[];
  /** The identities linked to this profile, as `type:value` (see identity.ts). */
  identities?: string[];
  /** Set when this profile was merged into another: it is a forwarding address from then on. */
  mergedInto?: string;
  /** True once everything of a merged profile has moved to the survivor. */
  mergeDone?: boolean;
  /** Profiles merged into this one, so a repeated merge changes nothing. */
  mergedFrom?: string[];
  /** Computed: the audiences the profile is in, id to when it entered. */
  audiences?: Record<string, string>;
  /** Consent per channel and list (consent.ts). */
  consents?: Consents;
  /** Propensity scores, model id to a probability (models.ts), written by the model's scoring pass. */
  scores?: Record<string, number>;
}

/** What journeys and templates see of a profile. */
export interface ProfileView {
  id: string;
  attributes: Attributes;
  /** Propensity scores (`profile.scores.<model>` in predicates), when the profile has any. */
  scores?: Record<string, number>;
}

/**
 * Folds a merged-away profile into the survivor: attributes last-write-wins by their times, identities and
 * audiences unioned, the earlier creation time kept. Undefined when `from` was merged in already.
 */
export function mergeProfiles(into: Profile, from: Profile, now: string): Profile | undefined {
  if (into.mergedFrom?.includes(from.id)) return undefined;
  const attributes = { ...into.attributes };
  const attributeTimes = { ...into.attributeTimes };
  for (const [key, value] of Object.entries(from.attributes)) {
    const theirs = from.attributeTimes[key] ?? from.updatedAt;
    const ours = attributeTimes[key];
    if (ours !== undefined && ours >= theirs) continue;
    attributes[key] = value;
    attributeTimes[key] = theirs;
  }
  const identities = [...new Set([...(into.identities ?? []), ...(from.identities ?? [])])].sort();
  const audiences = { ...from.audiences, ...into.audiences };
  return {
    ...into,
    attributes,
    attributeTimes,
    identities,
    ...(Object.keys(audiences).length > 0 ? { audiences } : {}),
    createdAt: from.createdAt < into.createdAt ? from.createdAt : into.createdAt,
    updatedAt: now,
    version: into.version + 1,
    mergedFrom: [...(into.mergedFrom ?? []), from.id],
  };
}

export function emptyProfile(id: string, now: string): Profile {
  return { id, attributes: {}, attributeTimes: {}, createdAt: now, updatedAt: now, version: 0 };
}

/**
 * Merges attributes observed at `at` into a profile. Returns the new profile, or undefined when nothing
 * changes (so the store is not written).
 */
export function mergeAttributes(current: Profile, attributes: Attributes, at: string, now: string, unset: readonly string[] = []): Profile | undefined {
  const next: Profile = {
    ...current,
    attributes: { ...current.attributes },
    attributeTimes: { ...current.attributeTimes },
  };
  let changed = current.version === 0;
  for (const [key, value] of Object.entries(attributes)) {
    const previous = current.attributeTimes[key];
    if (previous !== undefined && previous > at) continue;
    if (previous === at && JSON.stringify(current.attributes[key]) === JSON.stringify(value)) continue;
    next.attributes[key] = value;
    next.attributeTimes[key] = at;
    changed = true;
  }
  for (const key of unset) {
    const previous = current.attributeTimes[key];
    if (previous !== undefined && previous > at) continue;
    if (!Object.hasOwn(next.attributes, key)) continue;
    delete next.attributes[key];
    next.attributeTimes[key] = at; // kept, so an older event cannot bring the value back
    changed = true;
  }
  if (!changed) return undefined;
  return { ...next, updatedAt: now, version: current.version + 1 };
}

export function viewOf(profile: Profile): ProfileView {
  return { id: profile.id, attributes: profile.attributes, ...(profile.scores ? { scores: profile.scores } : {}) };
}

const KEPT_UPDATE_KEYS = 50;

export type UpdateValue = string | number | boolean | null | { path: string };

export interface ProfileUpdate {
  set?: Record<string, UpdateValue>;
  increment?: Record<string, number>;
  unset?: string[];
}

/**
 * Applies a journey's update once: `key` (execution, step, visit) is recorded with it in the same write, so
 * a retry finds it and changes nothing. `{ path }` values are read from `data` (the event and the profile);
 * a missing one is left out. Unset keeps the attribute's time, so an older event cannot bring it back.
 */
export function applyUpdate(current: Profile, update: ProfileUpdate, key: string, read: (path: string) => unknown, now: string): Profile | undefined {
  if (current.appliedUpdates?.includes(key)) return undefined;
  const attributes = { ...current.attributes };
  const attributeTimes = { ...current.attributeTimes };
  for (const [name, value] of Object.entries(update.set ?? {})) {
    const resolved = typeof value === 'object' && value !== null ? read(value.path) : value;
    if (resolved === undefined) continue;
    attributes[name] = resolved;
    attributeTimes[name] = now;
  }
  for (const [name, by] of Object.entries(update.increment ?? {})) {
    const before = attributes[name];
    attributes[name] = (typeof before === 'number' ? before : 0) + by;
    attributeTimes[name] = now;
  }
  for (const name of update.unset ?? []) {
    delete attributes[name];
    attributeTimes[name] = now;
  }
  return {
    ...current,
    attributes,
    attributeTimes,
    updatedAt: now,
    version: current.version + 1,
    appliedUpdates: [...(current.appliedUpdates ?? []).slice(-(KEPT_UPDATE_KEYS - 1)), key],
  };
}
