// Apart from split.ts (no zod, no step kinds): campaign experiments assign arms with the same thresholds, and
// the campaign function must not bundle the journey language for it.

const BUCKETS = 2 ** 32;

/** The cumulative thresholds, as 8 hex digits: a hash below the i-th takes path i. */
export function splitThresholds(weights: readonly number[]): string[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return weights.slice(0, -1).map((w) => {
    cumulative += w;
    return Math.round((cumulative / total) * BUCKETS).toString(16).padStart(8, '0');
  });
}
