import type { EndpointResponse } from '@aws-sdk/client-pinpoint';
import { canonicalLocale } from '../../functions/domain/templates';
import { DEMOGRAPHIC, ENDPOINT_CHANNELS, LOCATION } from './predicates';
import { attributeName, type MigrationLog } from './report';
import { importedSegmentAttribute } from './segments';

// Endpoints as profiles: the endpoints of one User.UserId are one profile, its addresses as identities and
// attributes (email, phone, pushTokens); an endpoint without a user is an anonymous profile of its own (its
// endpoint id as the anonymousId). OptOut ALL is consent denied on the endpoint's channel; an INACTIVE
// endpoint's address is not sendable, so it is not carried. One line a profile, in the format `jo import
// profiles` reads.
//
// Where a user's endpoints disagree, the one updated last (EffectiveDate, then Id) wins, whatever the order of
// the file: attributes from any endpoint, demographics and location from active endpoints (an inactive one's
// only when the user has no active endpoint), the address of a channel from its latest active endpoint.

export interface ProfileLine {
  /** A known person (Pinpoint's User.UserId); or, for an endpoint without a user, `anonymousId`. */
  id?: string;
  anonymousId?: string;
  attributes: Record<string, unknown>;
  identities?: Record<string, string>;
  consents?: Record<string, Record<string, 'granted' | 'denied'>>;
}

export interface ExportedEndpoint {
  endpoint: EndpointResponse;
  /** The imported segments whose member export lists it. */
  segments: readonly string[];
  /** The report's `where` of this endpoint (MigrationLog.item). */
  where: string;
}

const PUSH_PLATFORMS: Record<string, string> = { APNS: 'APNS', APNS_SANDBOX: 'APNS_SANDBOX', GCM: 'GCM' };
const CONSENT_CHANNEL: Record<string, string> = { EMAIL: 'email', SMS: 'sms', APNS: 'push', APNS_SANDBOX: 'push', GCM: 'push', BAIDU: 'push', ADM: 'push' };
/** The list opted out of: Pinpoint's journeys and campaigns are imported as `marketing`. */
const LIST = 'marketing';

/** A Pinpoint string array as an attribute: one value as itself, several as a list. */
const valueOf = (values: string[]) => (values.length === 1 ? values[0] : values);
const active = (e: EndpointResponse) => e.EndpointStatus !== 'INACTIVE';
/** Oldest first, so the latest is written last; the Id breaks ties, so the file's order never matters. */
const byUpdate = (a: ExportedEndpoint, b: ExportedEndpoint) => (a.endpoint.EffectiveDate ?? '').localeCompare(b.endpoint.EffectiveDate ?? '') || (a.endpoint.Id ?? '').localeCompare(b.endpoint.Id ?? '');

export function endpointProfiles(endpoints: readonly ExportedEndpoint[], log: MigrationLog): ProfileLine[] {
  // One entry per endpoint id (a segment's member export lists endpoints the full export has too).
  const byId = new Map<string, ExportedEndpoint>();
  for (const e of endpoints) {
    const known = byId.get(e.endpoint.Id ?? '');
    byId.set(e.endpoint.Id ?? '', known ? { ...(byUpdate(known, e) > 0 ? known : e), segments: [...new Set([...known.segments, ...e.segments])] } : e);
  }
  const groups = new Map<string, ExportedEndpoint[]>();
  for (const e of byId.values()) {
    const key = e.endpoint.User?.UserId ?? `anonymous:${e.endpoint.Id}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const renamed = new Set<string>();
  const lines: ProfileLine[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!.sort(byUpdate);
    const first = group[0]!.endpoint;
    const p: ProfileLine = first.User?.UserId ? { id: first.User.UserId, attributes: {} } : { anonymousId: first.Id ?? '', attributes: {} };
    const set = (name: string, value: unknown) => {
      if (value !== undefined && value !== null && value !== '') p.attributes[name] = value;
    };
    for (const { endpoint: e, where } of group) {
      for (const [k, v] of Object.entries({ ...e.Attributes, ...e.User?.UserAttributes, ...e.Metrics })) {
        const name = attributeName(k);
        if (name !== k && !renamed.has(k)) {
          renamed.add(k);
          log.change(where, `the attribute "${k}" is named ${name} here (letters, digits and _): templates and segments read it by that name`);
        }
        set(name, Array.isArray(v) ? valueOf(v) : v);
      }
    }
    // Demographics and location: the active endpoints' (the latest last), an inactive one's only as a fallback.
    const devices = group.some((g) => active(g.endpoint)) ? group.filter((g) => active(g.endpoint)) : group;
    for (const { endpoint: e } of devices) {
      const demo = (e.Demographic ?? {}) as Record<string, string | undefined>;
      for (const [field, name] of Object.entries(DEMOGRAPHIC)) set(name, name === 'locale' && demo[field] ? canonicalLocale(demo[field]) : demo[field]);
      for (const [field, name] of Object.entries(LOCATION)) set(name, (e.Location as Record<string, unknown> | undefined)?.[field]);
    }
    for (const { segments } of group) for (const s of segments) set(importedSegmentAttribute(s), true);

    const reachable: Record<string, true> = {};
    for (const { endpoint: e, where } of group) {
      const channel = e.ChannelType ?? '';
      const optedOut = e.OptOut === 'ALL';
      if (optedOut && CONSENT_CHANNEL[channel]) (p.consents ??= {})[CONSENT_CHANNEL[channel]] = { [LIST]: 'denied' };
      if (!active(e) || !e.Address) {
        log.change(where, `${active(e) ? 'no address' : 'INACTIVE'}: its address is not carried (nothing is sent to it)`);
        log.count('endpoints inactive or without address (address not carried)');
        continue;
      }
      if (!optedOut) reachable[channel] = true;
      if (channel === 'EMAIL') {
        if (typeof p.attributes.email === 'string' && p.attributes.email !== e.Address) log.change(where, 'a second email address: the one updated last is the profile\'s (a profile has one)');
        p.attributes.email = e.Address;
        (p.identities ??= {}).email = e.Address;
      } else if (channel === 'SMS') {
        if (typeof p.attributes.phone === 'string' && p.attributes.phone !== e.Address) log.change(where, 'a second phone number: the one updated last is the profile\'s (a profile has one)');
        p.attributes.phone = e.Address;
        (p.identities ??= {}).phone = e.Address;
      } else if (PUSH_PLATFORMS[channel]) {
        const tokens = (p.attributes.pushTokens as Array<{ token: string; platform: string }> | undefined) ?? [];
        if (!tokens.some((t) => t.token === e.Address)) tokens.push({ token: e.Address, platform: PUSH_PLATFORMS[channel]! });
        p.attributes.pushTokens = tokens;
        (p.identities ??= {}).pushToken ??= e.Address;
      } else {
        log.drop(where, `an endpoint of channel ${channel || 'unknown'}: not carried (email, SMS, APNS and GCM are)`);
        delete reachable[channel];
      }
    }
    if (Object.keys(reachable).length > 0) p.attributes[ENDPOINT_CHANNELS] = Object.fromEntries(Object.keys(reachable).sort().map((c) => [c, true]));
    lines.push(p);
  }
  log.count('endpoints', byId.size);
  log.count('profiles (known users)', lines.filter((p) => p.id !== undefined).length);
  log.count('profiles (anonymous endpoints)', lines.filter((p) => p.id === undefined).length);
  const zoneless = lines.filter((p) => p.attributes.timeZone === undefined).length;
  if (zoneless > 0) log.attend('profiles.jsonl: time zones', `${zoneless} of ${lines.length} profiles have no time zone (no Demographic.Timezone on their active endpoints): local times, quiet hours and send times read UTC for them; set timeZone on them`);
  return lines;
}
