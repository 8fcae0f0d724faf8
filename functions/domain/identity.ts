import type { Clock, IdentityStore, Log, ProfileData, ProfileStore } from '../ports';
import { mergeProfiles, type Profile } from './profile';
import { changeProfile, loadProfile } from './profile-writes';

// Identities and stitching. A profile's id is its userId (the id a company knows a person by), or
// `anonymous:<anonymousId>` before that. Every other identity (anonymousId, email, phone, pushToken) is linked
// to one profile by an index item, taken with a conditional write. When an event links an identity that
// belongs to another profile, the two are merged: a known profile survives an anonymous one; of two anonymous
// ones, the older. Two known profiles are never merged (the identity stays where it was).

export const IDENTITY_TYPES = ['userId', 'anonymousId', 'email', 'phone', 'pushToken'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];
export const ANONYMOUS_PREFIX = 'anonymous:';

/** `type:value`, with emails lower-cased so the same address is one identity. */
export function identityOf(type: IdentityType, value: string): string {
  return `${type}:${type === 'email' ? value.trim().toLowerCase() : value.trim()}`;
}

export function parseIdentity(identity: string): { type: IdentityType; value: string } {
  const at = identity.indexOf(':');
  return { type: identity.slice(0, at) as IdentityType, value: identity.slice(at + 1) };
}

export const anonymousProfileId = (anonymousId: string) => `${ANONYMOUS_PREFIX}${anonymousId}`;
export const isKnown = (profileId: string) => !profileId.startsWith(ANONYMOUS_PREFIX);

/** The identity a profile id stands for itself: its userId, or its anonymousId. */
export function ownIdentity(profileId: string): string {
  return isKnown(profileId) ? identityOf('userId', profileId) : identityOf('anonymousId', profileId.slice(ANONYMOUS_PREFIX.length));
}

/** The identities that profile attributes carry: email, phone and the push tokens. */
export function attributeIdentities(attributes: Record<string, unknown> | undefined): string[] {
  if (!attributes) return [];
  const found: string[] = [];
  if (typeof attributes.email === 'string' && attributes.email.includes('@')) found.push(identityOf('email', attributes.email));
  if (typeof attributes.phone === 'string' && attributes.phone.length > 0) found.push(identityOf('phone', attributes.phone));
  if (Array.isArray(attributes.pushTokens)) {
    for (const t of attributes.pushTokens) {
      const token = (t as { token?: unknown } | null)?.token;
      if (typeof token === 'string' && token.length > 0) found.push(identityOf('pushToken', token));
    }
  }
  return found;
}

export interface StitchDeps {
  profiles: ProfileStore;
  identities: IdentityStore;
  data: ProfileData;
  clock: Clock;
  log?: Log;
}

const MAX_HOPS = 8;

/**
 * The live profile an id leads to, following merges. A merge left half-done (a crash) is finished here, by
 * whoever reads it next: every step of a merge is idempotent.
 */
export async function survivorOf(id: string, deps: StitchDeps): Promise<string> {
  let current = id;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const profile = await deps.profiles.get(current);
    if (!profile?.mergedInto) return current;
    if (!profile.mergeDone) await finishMerge(profile, profile.mergedInto, deps);
    current = profile.mergedInto;
  }
  return current;
}

function survivorAndLoser(a: Profile, b: Profile): [Profile, Profile] | undefined {
  const knownA = isKnown(a.id);
  const knownB = isKnown(b.id);
  if (knownA && knownB) return undefined;
  if (knownA !== knownB) return knownA ? [a, b] : [b, a];
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id) ? [a, b] : [b, a];
}

async function finishMerge(loser: Profile, survivorId: string, deps: StitchDeps): Promise<void> {
  // 1. the survivor takes the attributes and identities (changeProfile follows the survivor if it moved on)
  const survivor = await changeProfile(survivorId, deps, (current, now) => mergeProfiles(current, loser, now));
  // 2. the identity index and everything kept under the loser's keys point to the survivor
  for (const identity of loser.identities ?? []) await deps.identities.move(identity, loser.id, survivor.id);
  await deps.data.move(loser.id, survivor.id);
  // 3. the loser becomes a bare forwarding address
  await changeProfile(loser.id, { ...deps, followMerges: false }, (current, now) =>
    current.mergeDone ? undefined : { ...current, attributes: {}, attributeTimes: {}, identities: [], mergeDone: true, updatedAt: now, version: current.version + 1 },
  );
}

/**
 * Merges profile `a` and `b` if the rules allow: freezes the loser by setting mergedInto (a conditional
 * write, so of two merges at once one wins and the other follows it), then moves everything. Returns the
 * survivor, or undefined when both are known profiles.
 */
export async function mergePair(aId: string, bId: string, deps: StitchDeps): Promise<string | undefined> {
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const [a, b] = await Promise.all([survivorOf(aId, deps), survivorOf(bId, deps)]);
    if (a === b) return a;
    const now = deps.clock.now().toISOString();
    const [pa, pb] = await Promise.all([loadOrEmpty(a, deps, now), loadOrEmpty(b, deps, now)]);
    const pair = survivorAndLoser(pa, pb);
    if (!pair) return undefined;
    const [survivor, loser] = pair;
    const frozen = { ...loser, mergedInto: survivor.id, updatedAt: now, version: loser.version + 1 };
    if (await deps.profiles.put(frozen, loser.version)) {
      await finishMerge(frozen, survivor.id, deps);
      deps.log?.info('profiles merged', { survivorKnown: isKnown(survivor.id) });
      return survivor.id;
    }
    // The loser changed or was merged elsewhere meanwhile: look again.
    aId = a;
    bId = b;
  }
  throw new Error('profiles kept changing while merging');
}

async function loadOrEmpty(id: string, deps: StitchDeps, now: string): Promise<Profile> {
  return (await deps.profiles.get(id)) ?? { id, attributes: {}, attributeTimes: {}, createdAt: now, updatedAt: now, version: 0 };
}

/**
 * The profile an event belongs to. `primary` is the sender's profile id (userId, or anonymous:<id>);
 * `identities` are the other identities the event carries. Each one not yet on the profile is linked, and
 * one that belongs to another profile merges the two where the rules allow. Returns the profile id to use
 * and the identities now on it (to record on the profile).
 */
export async function stitch(primary: string, identities: readonly string[], deps: StitchDeps): Promise<{ profileId: string; linked: string[]; merged: boolean }> {
  const own = ownIdentity(primary);
  // An anonymous id may have been linked to a known profile since: its events go there.
  let profileId = isKnown(primary) ? await survivorOf(primary, deps) : await survivorOf((await deps.identities.owner(own)) ?? primary, deps);
  const profile = await loadProfile(deps.profiles, profileId);
  const have = new Set(profile?.identities ?? []);
  const linked: string[] = [];
  let mergedAny = false;
  // Each identity once: an anonymous profile's own identity is also the anonymousId its event names.
  for (const identity of new Set([own, ...identities])) {
    if (have.has(identity)) continue;
    if (identity.startsWith('userId:') && identity !== ownIdentity(profileId)) continue; // a profile has one userId
    const other = await deps.identities.link(identity, profileId);
    if (other === undefined) {
      linked.push(identity);
      continue;
    }
    const merged = await mergePair(profileId, other, deps);
    if (merged === undefined) {
      deps.log?.warn('identity belongs to another known profile; not merged', { type: parseIdentity(identity).type });
      continue;
    }
    profileId = merged;
    mergedAny = true;
    await deps.identities.move(identity, other, merged);
    linked.push(identity);
  }
  return { profileId, linked, merged: mergedAny };
}

/**
 * After a merge, the identities an event linked point to the profile that holds the person now: one linked
 * before the merge (to the loser), or to a profile merged by another profile's events in parallel, would
 * otherwise point to a forwarding address (events still find the person; lookups by identity take a hop).
 */
export async function repointIdentities(linked: readonly string[], survivor: string, deps: StitchDeps): Promise<void> {
  for (const identity of linked) {
    const owner = await deps.identities.owner(identity);
    if (owner === undefined || owner === survivor) continue;
    if ((await survivorOf(owner, deps)) === survivor) await deps.identities.move(identity, owner, survivor);
  }
}
