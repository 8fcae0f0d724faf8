import * as z from 'zod';

// The one predicate language: journey entry filters, condition steps, and later segments and offers.
// Paths are dotted names under three roots, so they map 1:1 to JSONPath in a Choice state.

export const PREDICATE_ROOTS = ['profile', 'event', 'journey'] as const;
export const PATH_PATTERN = /^(profile|event|journey)(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

export type Scalar = string | number | boolean | null;
export type Comparison =
  | { path: string; op: 'eq' | 'ne'; value: Scalar }
  | { path: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: string | number }
  | { path: string; op: 'in'; value: Scalar[] }
  | { path: string; op: 'contains' | 'startsWith'; value: string }
  | { path: string; op: 'exists'; value?: boolean };
export type Predicate = { all: Predicate[] } | { any: Predicate[] } | { not: Predicate } | Comparison;

/** A dotted path into the data a journey sees (profile, event, journey). */
export const dataPath = z
  .string()
  .regex(PATH_PATTERN, 'must be a dotted path under profile, event or journey, such as profile.attributes.tier')
  // JSONPath engines read `.length` of an array or string as its length; plain objects have no such key.
  // Reserving it keeps Choice states and in-process predicates in agreement.
  .refine((p) => !p.split('.').includes('length'), 'the path segment "length" is reserved (JSONPath reads it as an array\'s length)');
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'must be a string, number, boolean or null',
});
const ordered = z.union([z.string(), z.number()], { error: 'must be a string or a number' });

const comparisonFor = (path: z.ZodType<string>) =>
  z.discriminatedUnion(
    'op',
    [
      z.strictObject({ path, op: z.enum(['eq', 'ne']), value: scalar }),
      z.strictObject({ path, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: ordered }),
      z.strictObject({ path, op: z.literal('in'), value: z.array(scalar).min(1).max(100) }),
      z.strictObject({ path, op: z.enum(['contains', 'startsWith']), value: z.string().min(1) }),
      z.strictObject({ path, op: z.literal('exists'), value: z.boolean().optional() }),
    ],
    { error: 'op must be one of eq, ne, gt, gte, lt, lte, in, contains, startsWith, exists' },
  );

/**
 * Where a predicate is used decides what it may read: journeys read profile, event and journey; audiences
 * read the profile, and add leaves of their own (event history, other audiences: see audience.ts).
 */
export interface Dialect {
  comparison: z.ZodType;
  /** Leaves beyond comparisons, by their key: checks the leaf and reports its issues. */
  leaves?: Record<string, (value: Record<string, unknown>, ctx: z.RefinementCtx, at: PropertyKey[], depth: number) => void>;
}

export const JOURNEY_DIALECT: Dialect = { comparison: comparisonFor(dataPath) };

/** A dialect whose paths are limited to some roots, such as `profile` for audiences. */
export function rootedDialect(roots: readonly string[], leaves?: Dialect['leaves']): Dialect {
  const path = dataPath.refine((p) => roots.includes(p.split('.')[0]!), { error: `must be a path under ${roots.join(' or ')} here` });
  return { comparison: comparisonFor(path), ...(leaves ? { leaves } : {}) };
}

const MAX_DEPTH = 16;

// A hand-dispatched recursive schema: zod's plain unions would report "invalid input" for any mistake deep
// inside a predicate; dispatching on the key gives the exact path and rule.
export function checkPredicate(value: unknown, ctx: z.RefinementCtx, at: PropertyKey[], depth: number, dialect: Dialect = JOURNEY_DIALECT): void {
  const check = (v: unknown, c: z.RefinementCtx, where: PropertyKey[], d: number) => checkPredicate(v, c, where, d, dialect);
  const fail = (message: string, where = at) => ctx.addIssue({ code: 'custom', message, path: where, input: value });
  if (depth > MAX_DEPTH) return fail(`predicates nest at most ${MAX_DEPTH} levels deep`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('a predicate must be an object with one of all, any, not or path');
  }
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  if ('all' in v || 'any' in v) {
    const key = 'all' in v ? 'all' : 'any';
    if (keys.length !== 1) return fail(`"${key}" must be the only key of its object`);
    const list = v[key];
    if (!Array.isArray(list) || list.length === 0) return fail(`"${key}" must be a non-empty array of predicates`, [...at, key]);
    list.forEach((item, i) => check(item, ctx, [...at, key, i], depth + 1));
    return;
  }
  if ('not' in v) {
    if (keys.length !== 1) return fail('"not" must be the only key of its object');
    return check(v.not, ctx, [...at, 'not'], depth + 1);
  }
  if ('path' in v) {
    const result = dialect.comparison.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) fail(issue.message, [...at, ...issue.path]);
    }
    return;
  }
  const leaf = Object.keys(dialect.leaves ?? {}).find((k) => k in v);
  if (leaf) return dialect.leaves![leaf]!(v, ctx, at, depth);
  fail(`a predicate must be an object with one of all, any, not, path${Object.keys(dialect.leaves ?? {}).map((k) => `, ${k}`).join('')}`);
}

export const predicateSchema = z
  .custom<Predicate>(() => true)
  .superRefine((value, ctx) => checkPredicate(value, ctx, [], 0))
  .meta({ id: 'Predicate', description: 'all / any / not / { path, op, value }' });

/** The comparisons of a predicate, depth first. */
export function comparisonsOf(p: Predicate): Comparison[] {
  if ('all' in p) return p.all.flatMap(comparisonsOf);
  if ('any' in p) return p.any.flatMap(comparisonsOf);
  if ('not' in p) return comparisonsOf(p.not);
  return [p];
}

export function usesProfile(p: Predicate): boolean {
  return comparisonsOf(p).some((c) => c.path.startsWith('profile.'));
}
