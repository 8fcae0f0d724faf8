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

/**
 * What a key may do. read: reports and profile reads (what the report page needs); write: events, profile
 * writes, decisions, campaign triggers and run control; admin: erasure, a person's data export and audience
 * exports (bulk personal data).
 */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  key: string;
  scopes: readonly Scope[];
}

/**
 * The keys of the API keys secret: `{"key": "..."}` (the generated one: every scope), or
 * `{"keys": ["...", {"key": "...", "scopes": ["read"]}]}` (a plain string has every scope). Entries that are
 * neither are ignored (a mistake in the secret must not open the API).
 */
export function parseApiKeys(secret: unknown): ApiKey[] {
  const s = (typeof secret === 'object' && secret !== null ? secret : {}) as { key?: unknown; keys?: unknown };
  const entries = [...(s.key === undefined ? [] : [s.key]), ...(Array.isArray(s.keys) ? s.keys : [])];
  return entries.flatMap((e): ApiKey[] => {
    if (typeof e === 'string') return e.length > 0 ? [{ key: e, scopes: SCOPES }] : [];
    const entry = (typeof e === 'object' && e !== null ? e : {}) as { key?: unknown; scopes?: unknown };
    if (typeof entry.key !== 'string' || entry.key.length === 0 || !Array.isArray(entry.scopes)) return [];
    return [{ key: entry.key, scopes: entry.scopes.filter((x): x is Scope => (SCOPES as readonly string[]).includes(x as string)) }];
  });
}

/**
 * Checks the presented key against the configured keys, in constant time per key, and that it holds `scope`
 * (the route's; undefined: any key will do).
 */
export function isAuthorized(header: string | undefined, keys: readonly (string | ApiKey)[], scope?: Scope): boolean {
  const key = presentedKey(header);
  if (key === undefined) return false;
  const given = digest(key);
  let ok = false;
  for (const k of keys) {
    const entry = typeof k === 'string' ? { key: k, scopes: SCOPES } : k;
    if (entry.key.length > 0 && timingSafeEqual(given, digest(entry.key)) && (scope === undefined || entry.scopes.includes(scope))) ok = true;
  }
  return ok;
}
