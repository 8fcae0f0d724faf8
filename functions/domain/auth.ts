import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Checks an `Authorization: Bearer <key>` header against the configured keys, in constant time per key. */
export function isAuthorized(header: string | undefined, keys: readonly string[]): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const given = digest(match[1]!);
  let ok = false;
  for (const key of keys) if (key.length > 0 && timingSafeEqual(given, digest(key))) ok = true;
  return ok;
}
