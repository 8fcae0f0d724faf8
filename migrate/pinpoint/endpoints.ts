import type { EndpointResponse } from '@aws-sdk/client-pinpoint';
import { canonicalLocale } from '../../functions/domain/templates';
import { DEMOGRAPHIC, LOCATION } from './predicates';
import { attributeName, type MigrationLog } from './report';
import { importedSegmentAttribute } from './segments';

// Endpoints as profiles: the endpoints of one User.UserId are one profile, its addresses as identities and
// attributes (email, phone, pushTokens); an endpoint without a user is an anonymous profile of its own (its endpoint id as the anonymousId). OptOut
// ALL is consent denied on the endpoint's channel; an INACTIVE endpoint's address is not sendable, so it is
// not carried. One line a profile, in the format `jo import profiles` reads.

export interface ProfileLine {
  /** A known person (Pinpoint's User.UserId); or, for an endpoint without a user, `anonymousId`. */
  id?: string;
  anonymousId?: string;
  attributes: Record<string, unknown>;
  identities?: Record<string, string>;
  consents?: Record<string, Record<string, 'granted' | 'denied'>>;
}

const PUSH_PLATFORMS: Record<string, string> = { APNS: 'APNS', APNS_SANDBOX: 'APNS_SANDBOX', GCM: 'GCM' };
const CONSENT_CHANNEL: Record<string, string> = { EMAIL: 'email', SMS: 'sms', APNS: 'push', APNS_SANDBOX: 'push', GCM: 'push', BAIDU: 'push', ADM: 'push' };
/** The list opted out of: Pinpoint's journeys and campaigns are imported as `marketing`. */
const LIST = 'marketing';

/** A Pinpoint string array as an attribute: one value as itself, several as a list. */
const valueOf = (values: string[]) => (values.length === 1 ? values[0] : values);

export function endpointProfiles(endpoints: ReadonlyArray<{ endpoint: EndpointResponse; segments: readonly string[] }>, log: MigrationLog): ProfileLine[] {
  const profiles = new Map<string, ProfileLine>();
  for (const { endpoint: e, segments } of endpoints) {
    const userId = e.User?.UserId;
    const key = userId ?? `anonymous:${e.Id}`;
    const p: ProfileLine = profiles.get(key) ?? (userId ? { id: userId, attributes: {} } : { anonymousId: e.Id ?? '', attributes: {} });
    profiles.set(key, p);
    const set = (name: string, value: unknown) => {
      if (value !== undefined && value !== null && value !== '') p.attributes[name] = value;
    };
    for (const [k, v] of Object.entries({ ...e.Attributes, ...e.User?.UserAttributes })) set(attributeName(k), valueOf(v));
    for (const [k, v] of Object.entries(e.Metrics ?? {})) set(attributeName(k), v);
    const demo = (e.Demographic ?? {}) as Record<string, string | undefined>;
    for (const [field, name] of Object.entries(DEMOGRAPHIC)) if (p.attributes[name] === undefined) set(name, name === 'locale' && demo[field] ? canonicalLocale(demo[field]) : demo[field]);
    for (const [field, name] of Object.entries(LOCATION)) if (p.attributes[name] === undefined) set(name, (e.Location as Record<string, unknown> | undefined)?.[field]);
    for (const s of segments) set(importedSegmentAttribute(s), true);

    const channel = e.ChannelType ?? '';
    const optedOut = e.OptOut === 'ALL';
    if (optedOut && CONSENT_CHANNEL[channel]) (p.consents ??= {})[CONSENT_CHANNEL[channel]] = { [LIST]: 'denied' };
    if (e.EndpointStatus === 'INACTIVE' || !e.Address) {
      log.count('endpoints inactive or without address (address not carried)');
      continue;
    }
    if (channel === 'EMAIL') {
      if (typeof p.attributes.email === 'string' && p.attributes.email !== e.Address) log.count('second email addresses (not carried: a profile has one)');
      else {
        p.attributes.email = e.Address;
        (p.identities ??= {}).email = e.Address;
      }
    } else if (channel === 'SMS') {
      if (typeof p.attributes.phone !== 'string') {
        p.attributes.phone = e.Address;
        (p.identities ??= {}).phone = e.Address;
      }
    } else if (PUSH_PLATFORMS[channel]) {
      const tokens = (p.attributes.pushTokens as Array<{ token: string; platform: string }> | undefined) ?? [];
      if (!tokens.some((t) => t.token === e.Address)) tokens.push({ token: e.Address, platform: PUSH_PLATFORMS[channel]! });
      p.attributes.pushTokens = tokens;
      (p.identities ??= {}).pushToken ??= e.Address;
    } else log.count(`endpoints of channel ${channel || 'unknown'} (not carried)`);
  }
  log.count('endpoints', endpoints.length);
  const lines = [...profiles.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, p]) => p);
  log.count('profiles (known users)', lines.filter((p) => p.id !== undefined).length);
  log.count('profiles (anonymous endpoints)', lines.filter((p) => p.id === undefined).length);
  return lines;
}
