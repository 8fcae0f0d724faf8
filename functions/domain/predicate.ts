import type { Comparison, Predicate, Scalar } from '../../statemachines';

// Predicates compiled once to plain closures. The semantics are those of the Choice rules the compiler emits
// (statemachines/compile/predicate.ts): a comparison holds only when the path is present and of the value's
// type; a test checks both give the same answer on the same data.

export interface PredicateScope {
  profile?: unknown;
  event?: unknown;
  journey?: unknown;
}
export type CompiledPredicate = (scope: PredicateScope) => boolean;

function walk(data: unknown, keys: readonly string[]): unknown {
  let value = data;
  for (const key of keys) {
    // Own properties only: a path can never reach a prototype.
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The value at a dotted path (`event.properties.orderId`), as predicates read it; undefined when missing. */
export function readPath(data: unknown, path: string): unknown {
  return walk(data, path.split('.'));
}

function getter(path: string): (scope: PredicateScope) => unknown {
  const keys = path.split('.');
  return (scope) => walk(scope, keys);
}

function equals(value: Scalar): (v: unknown) => boolean {
  return (v) => v === value && (value === null || typeof v === typeof value);
}

function comparison(c: Comparison): CompiledPredicate {
  const get = getter(c.path);
  switch (c.op) {
    case 'eq': {
      const eq = equals(c.value);
      return (s) => eq(get(s));
    }
    case 'ne': {
      const eq = equals(c.value);
      return (s) => !eq(get(s));
    }
    case 'in': {
      const tests = c.value.map(equals);
      return (s) => {
        const v = get(s);
        return tests.some((t) => t(v));
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const { op, value } = c;
      const type = typeof value;
      const cmp =
        op === 'gt'
          ? (v: string | number) => v > value
          : op === 'gte'
            ? (v: string | number) => v >= value
            : op === 'lt'
              ? (v: string | number) => v < value
              : (v: string | number) => v <= value;
      return (s) => {
        const v = get(s);
        return typeof v === type && cmp(v as string | number);
      };
    }
    case 'contains': {
      const { value } = c;
      return (s) => {
        const v = get(s);
        return typeof v === 'string' && v.includes(value);
      };
    }
    case 'startsWith': {
      const { value } = c;
      return (s) => {
        const v = get(s);
        return typeof v === 'string' && v.startsWith(value);
      };
    }
    case 'exists': {
      const want = c.value !== false;
      return (s) => {
        const v = get(s);
        return (v !== undefined && v !== null) === want;
      };
    }
  }
}

export function compilePredicate(p: Predicate): CompiledPredicate {
  if ('all' in p) {
    const parts = p.all.map(compilePredicate);
    return (s) => parts.every((f) => f(s));
  }
  if ('any' in p) {
    const parts = p.any.map(compilePredicate);
    return (s) => parts.some((f) => f(s));
  }
  if ('not' in p) {
    const inner = compilePredicate(p.not);
    return (s) => !inner(s);
  }
  return comparison(p);
}

const cache = new Map<string, CompiledPredicate>();

/** compilePredicate, once per distinct predicate for the life of the process (rules pass the same ones). */
export function cachedPredicate(p: Predicate): CompiledPredicate {
  const key = JSON.stringify(p);
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compilePredicate(p);
    cache.set(key, compiled);
  }
  return compiled;
}
