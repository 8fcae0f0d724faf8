// The real-time profile: attributes merged last-write-wins per attribute, by the time the source says the
// value was true (the event timestamp), so replays and out-of-order events converge to the same profile.

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
}

/** What journeys and templates see of a profile. */
export interface ProfileView {
  id: string;
  attributes: Attributes;
}

export function emptyProfile(id: string, now: string): Profile {
  return { id, attributes: {}, attributeTimes: {}, createdAt: now, updatedAt: now, version: 0 };
}

/**
 * Merges attributes observed at `at` into a profile. Returns the new profile, or undefined when nothing
 * changes (so the store is not written).
 */
export function mergeAttributes(current: Profile, attributes: Attributes, at: string, now: string): Profile | undefined {
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
  if (!changed) return undefined;
  return { ...next, updatedAt: now, version: current.version + 1 };
}

export function viewOf(profile: Profile): ProfileView {
  return { id: profile.id, attributes: profile.attributes };
}
