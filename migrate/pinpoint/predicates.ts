import type { AttributeDimension, EventDimensions, MetricDimension, SegmentDimensions, SetDimension } from '@aws-sdk/client-pinpoint';
import type { AudiencePredicate, Predicate } from '../../statemachines';
import { attributeName, type MigrationLog } from './report';

// Pinpoint's dimensions as predicates of this product. Where endpoint data lands on a profile (endpoints.ts
// writes it there): endpoint and user attributes and metrics as attributes of the same (cleaned) name, the
// demographic and location fields as named below, addresses as email / phone / pushTokens.

export const DEMOGRAPHIC = { Platform: 'platform', Make: 'make', Model: 'model', AppVersion: 'appVersion', Locale: 'locale', Timezone: 'timeZone' } as const;
export const LOCATION = { Country: 'country', City: 'city', PostalCode: 'postalCode', Region: 'region' } as const;
/**
 * The attribute that keeps which channels of the person's endpoints can be sent to (active, not opted out,
 * with an address): `{ "APNS": true, "EMAIL": true }` (endpoints.ts writes it). Pinpoint's segments hold
 * endpoints: a segment of push endpoints is, here, the people who have one, and reads this.
 */
export const ENDPOINT_CHANNELS = 'endpointChannels';
/** Pinpoint's endpoint channel types as the channel of this product that sends to them. */
export const PRODUCT_CHANNEL: Record<string, 'email' | 'sms' | 'push'> = { EMAIL: 'email', SMS: 'sms', APNS: 'push', APNS_SANDBOX: 'push', APNS_VOIP: 'push', APNS_VOIP_SANDBOX: 'push', GCM: 'push', BAIDU: 'push', ADM: 'push' };
const METRIC_OPS: Record<string, 'gt' | 'gte' | 'lt' | 'lte' | 'eq'> = { GREATER_THAN: 'gt', GREATER_THAN_OR_EQUAL: 'gte', LESS_THAN: 'lt', LESS_THAN_OR_EQUAL: 'lte', EQUAL: 'eq' };

/** Always false: where a condition has no equivalent, the false branch is taken (and reported). */
export const NEVER: Predicate = { not: { path: 'profile.id', op: 'exists' } };

type Leaf = Predicate;
const all = (ps: Leaf[]): Leaf | undefined => (ps.length === 0 ? undefined : ps.length === 1 ? ps[0] : { all: ps });
const any = (ps: Leaf[]): Leaf | undefined => (ps.length === 0 ? undefined : ps.length === 1 ? ps[0] : { any: ps });

/** A set dimension (`Values` in / not in) on a path. */
function setLeaf(path: string, d: SetDimension | undefined): Leaf | undefined {
  if (!d?.Values?.length) return undefined;
  const inSet: Leaf = d.Values.length === 1 ? { path, op: 'eq', value: d.Values[0]! } : { path, op: 'in', value: d.Values.slice(0, 100) };
  return d.DimensionType === 'EXCLUSIVE' ? { not: inSet } : inSet;
}

/** An attribute dimension: INCLUSIVE, EXCLUSIVE, CONTAINS, BEFORE, AFTER, ON, BETWEEN. */
export function attributeLeaf(path: string, d: AttributeDimension, where: string, log: MigrationLog): Leaf | undefined {
  const values = d.Values ?? [];
  if (values.length === 0) return undefined;
  switch (d.AttributeType ?? 'INCLUSIVE') {
    case 'INCLUSIVE':
      return setLeaf(path, { DimensionType: 'INCLUSIVE', Values: values });
    case 'EXCLUSIVE':
      return setLeaf(path, { DimensionType: 'EXCLUSIVE', Values: values });
    case 'CONTAINS':
      return any(values.map((v) => ({ path, op: 'contains', value: v }) as Leaf));
    case 'BEFORE':
      return { path, op: 'lt', value: values[0]! };
    case 'AFTER':
      return { path, op: 'gt', value: values[0]! };
    case 'ON':
      return { path, op: 'startsWith', value: values[0]!.slice(0, 10) };
    case 'BETWEEN':
      return { all: [{ path, op: 'gte', value: values[0]! }, { path, op: 'lte', value: values[1] ?? values[0]! }] };
    default:
      log.attend(where, `attribute type ${String(d.AttributeType)} of ${path} has no equivalent: left out of the condition`);
      return undefined;
  }
}

function metricLeaf(path: string, d: MetricDimension, where: string, log: MigrationLog): Leaf | undefined {
  const op = METRIC_OPS[d.ComparisonOperator ?? ''];
  if (!op || typeof d.Value !== 'number') {
    log.attend(where, `metric comparison ${String(d.ComparisonOperator)} on ${path} has no equivalent: left out`);
    return undefined;
  }
  return { path, op, value: d.Value };
}

const attributeLeaves = (prefix: string, dims: Record<string, AttributeDimension> | undefined, where: string, log: MigrationLog) =>
  Object.entries(dims ?? {}).flatMap(([name, d]) => attributeLeaf(`${prefix}.${attributeName(name)}`, d, where, log) ?? []);
const metricLeaves = (prefix: string, dims: Record<string, MetricDimension> | undefined, where: string, log: MigrationLog) =>
  Object.entries(dims ?? {}).flatMap(([name, d]) => metricLeaf(`${prefix}.${attributeName(name)}`, d, where, log) ?? []);

/**
 * A segment's dimensions as a predicate over the profile (all of them hold), or undefined when there are none.
 * Behaviour (recency) needs the event history: an audience predicate only, so `audience` says whether it may be used.
 */
export function dimensionsPredicate(dims: SegmentDimensions | undefined, where: string, log: MigrationLog, audience = false): AudiencePredicate | undefined {
  if (!dims) return undefined;
  const leaves: AudiencePredicate[] = [...attributeLeaves('profile.attributes', dims.Attributes, where, log), ...attributeLeaves('profile.attributes', dims.UserAttributes, where, log), ...metricLeaves('profile.attributes', dims.Metrics, where, log)];
  const demographic = dims.Demographic ?? {};
  for (const [field, attribute] of Object.entries(DEMOGRAPHIC)) {
    const leaf = setLeaf(`profile.attributes.${attribute}`, (demographic as Record<string, SetDimension | undefined>)[field]);
    if (leaf) leaves.push(leaf);
  }
  if (demographic.Channel?.Values?.length) {
    const known = demographic.Channel.Values.filter((c) => PRODUCT_CHANNEL[c] !== undefined);
    for (const c of demographic.Channel.Values.filter((v) => PRODUCT_CHANNEL[v] === undefined)) log.attend(where, `the channel ${c} has no equivalent: left out of the channel condition`);
    const leaf = any([...new Set(known)].map((c) => ({ path: `profile.attributes.${ENDPOINT_CHANNELS}.${c}`, op: 'eq', value: true }) as Leaf));
    if (leaf) leaves.push(demographic.Channel.DimensionType === 'EXCLUSIVE' ? { not: leaf } : leaf);
  }
  const country = setLeaf('profile.attributes.country', dims.Location?.Country);
  if (country) leaves.push(country);
  if (dims.Location?.GPSPoint) log.attend(where, 'a GPS point dimension has no equivalent (profiles keep no coordinates): left out');
  const recency = dims.Behavior?.Recency;
  if (recency) {
    const within = { HR_24: 'PT24H', DAY_7: 'P7D', DAY_14: 'P14D', DAY_30: 'P30D' }[recency.Duration ?? 'DAY_30'] ?? 'P30D';
    if (!audience) log.attend(where, 'a recency (behaviour) dimension needs the event history, which only audiences read: left out here');
    else {
      const active: AudiencePredicate = { event: 'session.start', within };
      leaves.push(recency.RecencyType === 'INACTIVE' ? { not: active } : active);
      log.note('Recency (active / inactive) reads `session.start` events: the Amplify and mobile SDKs sent `_session.start` to Pinpoint; send them here as `session.start` (POST /events or the Segment API).');
    }
  }
  return leaves.length === 0 ? undefined : leaves.length === 1 ? leaves[0] : { all: leaves };
}

/** An event filter's dimensions as a predicate over the event (its attributes and metrics are event properties). */
export function eventPredicate(dims: EventDimensions | undefined, where: string, log: MigrationLog): Predicate | undefined {
  if (!dims) return undefined;
  return all([...attributeLeaves('event.properties', dims.Attributes, where, log), ...metricLeaves('event.properties', dims.Metrics, where, log)]);
}

/** Pinpoint's own event types as this product's (delivery feedback); others keep their name. */
const EVENT_TYPES: Record<string, string> = {
  '_email.open': 'email.opened',
  '_email.click': 'email.clicked',
  '_email.delivered': 'email.delivered',
  '_email.hardbounce': 'email.bounced',
  '_email.complaint': 'email.complained',
};
export function eventType(type: string, where: string, log: MigrationLog): string {
  if (Object.hasOwn(EVENT_TYPES, type)) return EVENT_TYPES[type]!;
  if (type.startsWith('_')) log.attend(where, `Pinpoint event ${type} has no equivalent event here: named ${type.slice(1)}, which must be sent in (POST /events)`);
  const name = type.replace(/^_+/, '').replace(/[^A-Za-z0-9 ._:-]/g, '_').slice(0, 128);
  return /^[A-Za-z]/.test(name) ? name : `event.${name}`.slice(0, 128);
}
