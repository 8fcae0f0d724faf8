import * as z from 'zod';
import { eventType } from './ids';
import { parseDuration } from './duration';
import { checkPredicate, rootedDialect, type Comparison, type Dialect, type Predicate } from './predicate';

// Audiences (audiences/<id>.json): the one predicate language over the profile, with two more leaves:
//   { "event": "order.placed", "within": "P30D", "where": <predicate over event.*>, "count": { "gte": 2 } }
//   { "audience": "vip" }   membership of another audience
// A history condition with no count means "at least one"; with no within, the whole history kept (400 days).

export const audienceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1-48 characters of a-z, 0-9 and -, starting with a letter or digit');

export const COUNT_OPS = ['gte', 'gt', 'lte', 'lt', 'eq'] as const;
export type CountOp = (typeof COUNT_OPS)[number];

export interface HistoryCondition {
  event: string;
  within?: string;
  where?: Predicate;
  count?: Partial<Record<CountOp, number>>;
}
export interface AudienceRef {
  audience: string;
}
export type AudiencePredicate =
  | { all: AudiencePredicate[] }
  | { any: AudiencePredicate[] }
  | { not: AudiencePredicate }
  | Comparison
  | HistoryCondition
  | AudienceRef;

const EVENT_DIALECT = rootedDialect(['event']);

const historyShape = z.strictObject({
  event: eventType,
  within: z
    .string()
    .refine((d) => parseDuration(d).ok, { error: (i) => (parseDuration(String(i.input)) as { reason: string }).reason })
    .optional(),
  where: z.unknown().optional(),
  count: z
    .strictObject(Object.fromEntries(COUNT_OPS.map((op) => [op, z.int().min(0).optional()])) as Record<CountOp, z.ZodOptional<z.ZodInt>>)
    .refine((c) => Object.values(c).filter((v) => v !== undefined).length === 1, { error: `count takes exactly one of ${COUNT_OPS.join(', ')}` })
    .optional(),
});

const AUDIENCE_DIALECT: Dialect = rootedDialect(['profile'], {
  event: (value, ctx, at, depth) => {
    const result = historyShape.safeParse(value);
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message, path: [...at, ...issue.path], input: value });
    if (value.where !== undefined) checkPredicate(value.where, ctx, [...at, 'where'], depth + 1, EVENT_DIALECT);
  },
  audience: (value, ctx, at) => {
    const result = z.strictObject({ audience: audienceId }).safeParse(value);
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message, path: [...at, ...issue.path], input: value });
  },
});

export const audiencePredicateSchema = z
  .custom<AudiencePredicate>(() => true)
  .superRefine((value, ctx) => checkPredicate(value, ctx, [], 0, AUDIENCE_DIALECT))
  .meta({ id: 'AudiencePredicate' });

export const audienceSchema = z.strictObject({
  id: audienceId,
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(2000).optional(),
  where: audiencePredicateSchema,
});
export type Audience = z.infer<typeof audienceSchema>;

/** What an audience reads: event types of its history conditions, whether it reads the profile, other audiences. */
export function audienceReads(p: AudiencePredicate): { events: Set<string>; profile: boolean; audiences: Set<string>; windows: number[] } {
  const out = { events: new Set<string>(), profile: false, audiences: new Set<string>(), windows: [] as number[] };
  const walk = (q: AudiencePredicate): void => {
    if ('all' in q) return q.all.forEach(walk);
    if ('any' in q) return q.any.forEach(walk);
    if ('not' in q) return walk(q.not);
    if ('audience' in q) {
      out.audiences.add(q.audience);
      return;
    }
    if ('event' in q) {
      out.events.add(q.event);
      if (q.within) out.windows.push((parseDuration(q.within) as { seconds: number }).seconds);
      else out.windows.push(Infinity);
      return;
    }
    out.profile = true;
  };
  walk(p);
  return out;
}
