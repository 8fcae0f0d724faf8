// What DynamoDB (through the SDK's converter) can store, checked before anything is accepted: a value that
// passes here is stored as sent, so nothing accepted fails later (a 500 on every retry, a partial write).

export interface StorableIssue {
  path: string;
  message: string;
}

/** Nesting allowed in a request body: the stored items add one or two levels, and DynamoDB stops at 32. */
export const MAX_DEPTH = 30;

// Names JavaScript objects inherit: `constructor`, `__proto__`, `toString`... A field so named is shadowed or
// dropped by the code that reads it, so it is refused by name instead of being lost.
const PROTOTYPE_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

// DynamoDB numbers: magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125, 38 digits.
const SMALLEST = 1e-130;
const LARGEST = 9.9999999999999999e125;

function numberIssue(n: number): string | undefined {
  if (!Number.isFinite(n)) return 'must be a finite number';
  if (Number.isInteger(n)) {
    if (!Number.isSafeInteger(n)) return 'must be an integer of at most 2^53 - 1 in size (JSON numbers beyond it lose digits); send it as a string';
    return undefined;
  }
  const size = Math.abs(n);
  if (size < SMALLEST || size > LARGEST) return 'must be 0, or between 1e-130 and 9.99e125 in size (what DynamoDB stores)';
  return undefined;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * Every value of a parsed JSON body that could not be stored as sent, with the field's path (a.b[2].c).
 * Iterative, so a body nested thousands of levels deep is refused, not a stack overflow.
 */
export function storableIssues(body: unknown, maxDepth = MAX_DEPTH): StorableIssue[] {
  const issues: StorableIssue[] = [];
  const stack: Array<[value: unknown, path: string, depth: number]> = [[body, '', 0]];
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'number') {
      const message = numberIssue(value);
      if (message) issues.push({ path: path || 'body', message });
    } else if (typeof value === 'string') {
      if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed()) issues.push({ path: path || 'body', message: 'must be valid Unicode text (it holds a lone surrogate)' });
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= maxDepth) {
        issues.push({ path: path || 'body', message: `nests deeper than ${maxDepth} levels` });
        continue;
      }
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i -= 1) stack.push([value[i], `${path}[${i}]`, depth + 1]);
        continue;
      }
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const key = keys[i]!;
        if (key === '') issues.push({ path: join(path, '""'), message: 'a field name must not be empty' });
        else if (PROTOTYPE_NAMES.has(key)) issues.push({ path: join(path, key), message: `"${key}" is a reserved name (a JavaScript object member); rename the field` });
        else stack.push([(value as Record<string, unknown>)[key], join(path, key), depth + 1]);
      }
    }
  }
  return issues;
}

/** Default for how far into the future an event's timestamp may be (a sender's clock running fast). */
export const DEFAULT_MAX_FUTURE_SECONDS = 900;

/**
 * A timestamp later than now plus the allowed skew: refused, since last-write-wins by event time would let it
 * win every later write of the attributes it sets.
 */
export function futureIssue(timestamp: string, now: Date, maxFutureSeconds: number): string | undefined {
  const at = Date.parse(timestamp);
  if (at - now.getTime() <= maxFutureSeconds * 1000) return undefined;
  return `must not be more than ${maxFutureSeconds} s in the future (the sender's clock runs ahead: it is now ${now.toISOString()})`;
}
