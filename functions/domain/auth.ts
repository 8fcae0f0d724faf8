import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The key a request presents: `Bearer <key>`, or Segment's `Basic base64(<write key>:)`. */
export function presentedKey(header: string | undefined): string | undefined {
  const [scheme, value, ...rest] = (header ?? '').trim().split(/\s+/);
  if (!value || rest.length > 0) return undefined;
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? decoded.slice(0, colon) : undefined;
  }
  return undefined;
}

/** Checks the presented key against the configured keys, in constant time per key. */
export function isAuthorized(header: string | undefined, keys: readonly string[]): boolean {
  const key = presentedKey(header);
  if (key === undefined) return false;
  const given = digest(key);
  let ok = false;
  for (const k of keys) if (k.length > 0 && timingSafeEqual(given, digest(k))) ok = true;
  return ok;
}
