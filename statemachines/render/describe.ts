import type { Predicate } from '../schema/predicate';

const OPS: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in', contains: 'contains', startsWith: 'starts with' };

/** A predicate in words, for drawings. */
export function describePredicate(p: Predicate): string {
  if ('all' in p) return p.all.map(describePredicate).join(' and ');
  if ('any' in p) return p.any.map(describePredicate).join(' or ');
  if ('not' in p) return `not (${describePredicate(p.not)})`;
  if (p.op === 'exists') return p.value === false ? `no ${p.path}` : `${p.path} exists`;
  return `${p.path} ${OPS[p.op]} ${JSON.stringify(p.value)}`;
}
