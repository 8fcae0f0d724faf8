// Thompson sampling's draw and learning segment, shared by offer ranking (offers.ts) and channel choice
// (channel-choice.ts). Pure.

/** The segment a profile learns in: the first of these audiences it is in, else everyone's (`*`). */
export function learningSegment(segments: readonly string[] | undefined, audiences: Readonly<Record<string, string>> | undefined): string {
  return segments?.find((a) => Object.hasOwn(audiences ?? {}, a)) ?? '*';
}

/** A Beta(a, b) draw from two Gamma draws (Marsaglia–Tsang), from uniform numbers. */
export function betaDraw(a: number, b: number, random: () => number): number {
  const gamma = (k: number): number => {
    if (k < 1) return gamma(k + 1) * random() ** (1 / k);
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      // Box–Muller normal from two uniforms.
      const x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(1 - random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const x = gamma(a);
  return x / (x + gamma(b));
}
