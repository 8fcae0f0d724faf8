import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ConsentRecord, ConsentStatus, Consents, Profile } from './profile';

// Consent per channel and list (a template's category): transactional messages need none; other lists may be
// sent unless the person said no, or, for opt-in lists (rules.json), only once they said yes. Unsubscribe
// links carry an HMAC-signed token naming the profile, channel and list, so the link is its own credential.

export type { ConsentRecord, ConsentStatus, Consents };

export const TRANSACTIONAL = 'transactional';

export function consentOf(profile: Profile, channel: string, list: string): ConsentRecord | undefined {
  const byChannel = profile.consents?.[channel];
  return byChannel && Object.hasOwn(byChannel, list) ? byChannel[list] : undefined;
}

/** May this list reach the profile on this channel? */
export function consentAllows(profile: Profile, channel: string, list: string, optIn: ReadonlySet<string>): boolean {
  if (list === TRANSACTIONAL) return true;
  const status = consentOf(profile, channel, list)?.status;
  return status === 'granted' || (status === undefined && !optIn.has(list));
}

/** Records a consent, last write wins by `at`; undefined when nothing changes. */
export function setConsent(profile: Profile, change: { channel: string; list: string; status: ConsentStatus; at: string }, now: string): Profile | undefined {
  const current = consentOf(profile, change.channel, change.list);
  if (current && (current.at > change.at || (current.at === change.at && current.status === change.status))) return undefined;
  const consents: Consents = { ...profile.consents, [change.channel]: { ...profile.consents?.[change.channel], [change.list]: { status: change.status, at: change.at } } };
  return { ...profile, consents, updatedAt: now, version: profile.version + 1 };
}

export interface UnsubscribeClaim {
  profileId: string;
  channel: string;
  list: string;
}

const mac = (payload: string, key: string) => createHmac('sha256', key).update(payload).digest();

/** A token: the claim (a JSON array, base64url) and its HMAC. */
function signed(claim: readonly string[], key: string): string {
  const payload = Buffer.from(JSON.stringify(claim)).toString('base64url');
  return `${payload}.${mac(payload, key).toString('base64url')}`;
}

export function signUnsubscribe(claim: UnsubscribeClaim, key: string): string {
  return signed([claim.profileId, claim.channel, claim.list], key);
}

/** A preference page token: names the profile only (a two-element payload no unsubscribe token has). */
export function signPreferences(profileId: string, key: string): string {
  return signed(['preferences', profileId], key);
}

function verified(token: string, key: string): unknown[] | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = mac(payload, key);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claim = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(claim) ? claim : undefined;
  } catch {
    return undefined;
  }
}

/** The profile of a preference page token, or undefined for a forged, altered or unsubscribe one. */
export function verifyPreferences(token: string, key: string): string | undefined {
  const claim = verified(token, key);
  return claim?.length === 2 && claim[0] === 'preferences' && typeof claim[1] === 'string' ? claim[1] : undefined;
}

/** The claim of a token signed with `key`, or undefined for a forged or altered one. */
export function verifyUnsubscribe(token: string, key: string): UnsubscribeClaim | undefined {
  const claim = verified(token, key);
  if (claim?.length !== 3) return undefined;
  const [profileId, channel, list] = claim;
  if (typeof profileId !== 'string' || typeof channel !== 'string' || typeof list !== 'string') return undefined;
  return { profileId, channel, list };
}
