import ipaddr from 'ipaddr.js';

// Webhooks never reach into the network they run in: only global unicast addresses, judged by ipaddr.js's
// special-purpose registry (private, loopback, link-local and cloud metadata, carrier-grade NAT, multicast,
// reserved, benchmarking...). An IPv6 address that carries an IPv4 one (IPv4-mapped ::ffff:a.b.c.d in any
// spelling, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16, SIIT) is judged by the IPv4 address
// it leads to; Teredo hides its server address and is refused. Pure: checks an address already resolved.

type V4 = ipaddr.IPv4;
type V6 = ipaddr.IPv6;

const parse = (address: string): V4 | V6 | undefined => {
  const bare = address.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
};

const v4From = (high: number, low: number): V4 => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4, SIIT), if any. */
function embeddedV4(ip: V6): V4 | undefined {
  const p = ip.parts;
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address();
  const range = ip.range();
  if (range === 'rfc6052' && p[2] !== 0) return new ipaddr.IPv4([0, 0, 0, 0]); // 64:ff9b:1::/48: local-use NAT64, refused
  if (range === 'rfc6052' || range === 'rfc6145') return v4From(p[6]!, p[7]!); // NAT64 64:ff9b::/96, ::ffff:0:a.b.c.d
  if (range === '6to4') return v4From(p[1]!, p[2]!); // 2002:AABB:CCDD::/48
  // IPv4-compatible ::a.b.c.d (deprecated; still routed by some stacks): the first 96 bits are zero.
  if (p.slice(0, 6).every((x) => x === 0) && (p[6] !== 0 || p[7]! > 1)) return v4From(p[6]!, p[7]!);
  return undefined;
}

function isPublic(ip: V4 | V6): boolean {
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  const v4 = embeddedV4(ip as V6);
  if (v4) return isPublic(v4);
  return ip.range() === 'unicast';
}

/** Whether a webhook may connect to this IP address. */
export function isPublicAddress(address: string): boolean {
  const ip = parse(address);
  return ip !== undefined && isPublic(ip);
}

/** Loopback (127.0.0.0/8, ::1, or either carried in IPv6): the local runtime lets webhooks call it. */
export function isLoopback(address: string): boolean {
  const ip = parse(address);
  if (!ip) return false;
  const v4 = ip.kind() === 'ipv6' ? embeddedV4(ip as V6) : (ip as V4);
  return (v4 ?? ip).range() === 'loopback';
}
