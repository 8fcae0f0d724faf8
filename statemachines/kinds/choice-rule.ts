import type { ChoiceRule } from '../asl';
import type { Comparison, Predicate, Scalar } from '../schema/predicate';

// A predicate becomes a Choice rule with no Lambda. Every comparison is guarded by IsPresent and a type test:
// in Step Functions a Choice on a missing path fails the execution (States.Runtime), and the guards give the
// same answers as the in-process evaluator (functions/domain/predicate.ts) for any data.

export function toChoiceRule(p: Predicate): ChoiceRule {
  if ('all' in p) return p.all.length === 1 ? toChoiceRule(p.all[0]!) : { And: p.all.map(toChoiceRule) };
  if ('any' in p) return p.any.length === 1 ? toChoiceRule(p.any[0]!) : { Or: p.any.map(toChoiceRule) };
  if ('not' in p) return { Not: toChoiceRule(p.not) };
  return comparison(p);
}

const variable = (path: string) => `$.${path}`;

/** StringMatches treats * as a wildcard and \ as escape; escape both in literal text. */
export function escapeMatches(text: string): string {
  return text.replace(/[\\*]/g, (c) => `\\${c}`);
}

function guarded(Variable: string, test: ChoiceRule[]): ChoiceRule {
  return { And: [{ Variable, IsPresent: true }, ...test] };
}

function equals(Variable: string, value: Scalar): ChoiceRule {
  if (value === null) return guarded(Variable, [{ Variable, IsNull: true }]);
  switch (typeof value) {
    case 'string':
      return guarded(Variable, [{ Variable, IsString: true }, { Variable, StringEquals: value }]);
    case 'number':
      return guarded(Variable, [{ Variable, IsNumeric: true }, { Variable, NumericEquals: value }]);
    default:
      return guarded(Variable, [{ Variable, IsBoolean: true }, { Variable, BooleanEquals: value }]);
  }
}

const ORDER = {
  gt: ['StringGreaterThan', 'NumericGreaterThan'],
  gte: ['StringGreaterThanEquals', 'NumericGreaterThanEquals'],
  lt: ['StringLessThan', 'NumericLessThan'],
  lte: ['StringLessThanEquals', 'NumericLessThanEquals'],
} as const;

function comparison(c: Comparison): ChoiceRule {
  const Variable = variable(c.path);
  switch (c.op) {
    case 'eq':
      return equals(Variable, c.value);
    case 'ne':
      return { Not: equals(Variable, c.value) };
    case 'in':
      return c.value.length === 1 ? equals(Variable, c.value[0]!) : { Or: c.value.map((v) => equals(Variable, v)) };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const [str, num] = ORDER[c.op];
      return typeof c.value === 'string'
        ? guarded(Variable, [{ Variable, IsString: true }, { Variable, [str]: c.value } as ChoiceRule])
        : guarded(Variable, [{ Variable, IsNumeric: true }, { Variable, [num]: c.value } as ChoiceRule]);
    }
    case 'contains':
      return guarded(Variable, [{ Variable, IsString: true }, { Variable, StringMatches: `*${escapeMatches(c.value)}*` }]);
    case 'startsWith':
      return guarded(Variable, [{ Variable, IsString: true }, { Variable, StringMatches: `${escapeMatches(c.value)}*` }]);
    case 'exists': {
      const present = guarded(Variable, [{ Not: { Variable, IsNull: true } }]);
      return c.value === false ? { Not: present } : present;
    }
  }
}
