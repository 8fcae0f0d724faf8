import { createHash } from 'node:crypto';
import jstat from 'jstat';
import { splitThresholds, type Campaign } from '../../statemachines';

// Campaign experiments: who gets which treatment (or nothing: the holdout), and what the counts say of them.
// Assignment is a hash of profile and campaign, like a journey split's: the same profile gets the same
// treatment every run, with no state to keep; the counts and the comparison are pure.

export const HOLDOUT = 'holdout';

export interface Arm {
  id: string;
  /** The report step its sends, feedback and conversions are counted under. */
  step: string;
  /** Percent of the audience. */
  share: number;
  /** Absent for the holdout. */
  message?: { channel: string; template: string };
}

/**
 * A campaign's arms: its treatments (a plain campaign's message is one, counted under its usual step), then the
 * holdout. Undefined for a campaign that neither splits, holds out nor counts a goal.
 */
export function armsOf(campaign: Pick<Campaign, 'message' | 'treatments' | 'holdout' | 'goal'>): Arm[] | undefined {
  if (!campaign.treatments && campaign.holdout === undefined && !campaign.goal) return undefined;
  if (!campaign.treatments && !campaign.message) return undefined; // a journey campaign: the journey counts
  const held = campaign.holdout ?? 0;
  const treatments = campaign.treatments ?? [{ id: 'message', weight: 1, message: campaign.message! }];
  const total = treatments.reduce((n, t) => n + t.weight, 0);
  const arms: Arm[] = treatments.map((t) => ({ id: t.id, step: campaign.treatments ? `treatment.${t.id}` : 'message', share: (t.weight / total) * (100 - held), message: t.message }));
  return held > 0 ? [...arms, { id: HOLDOUT, step: HOLDOUT, share: held }] : arms;
}

const cache = new WeakMap<readonly Arm[], string[]>();
/** The arm of a profile: SHA-256 of `<profile id>:<campaign id>`, its first 32 bits against the arms' shares. */
export function armOf(arms: readonly Arm[], campaignId: string, profileId: string): Arm {
  const thresholds = cache.get(arms) ?? splitThresholds(arms.map((a) => a.share));
  cache.set(arms, thresholds);
  const bucket = createHash('sha256').update(`${profileId}:${campaignId}`).digest('hex').slice(0, 8);
  const i = thresholds.findIndex((t) => bucket < t);
  return arms[i === -1 ? arms.length - 1 : i]!;
}

export interface ArmCounts {
  id: string;
  assigned: number;
  converted: number;
}

export interface ArmComparison {
  /** Converted per assigned (intention to treat: a treatment's skipped sends stay in its denominator). */
  conversionRate: number;
  /** Against the control: the rate's difference, and the same relative to the control's rate. */
  difference?: { value: number; interval: [number, number] };
  lift?: { value: number; interval: [number, number] } | null;
  /** Two-sided, two-proportion z-test (pooled). */
  pValue?: number;
  significant?: boolean;
  /** Beta(1 + converted, 1 + assigned − converted) posteriors: the chance this arm's rate is the highest. */
  probabilityBest: number;
}

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Compares every arm with the control (the holdout when there is one, else the first treatment). Wald interval
 * for the difference of rates at `confidence`, divided by the control's rate for the lift's.
 */
export function compareArms(arms: readonly ArmCounts[], controlId: string, confidence = 0.95): Record<string, ArmComparison> {
  const z = jstat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
  const control = arms.find((a) => a.id === controlId);
  const rate = (a: ArmCounts) => (a.assigned > 0 ? a.converted / a.assigned : 0);
  const best = probabilityBest(arms);
  const out: Record<string, ArmComparison> = {};
  for (const [i, arm] of arms.entries()) {
    const result: ArmComparison = { conversionRate: round(rate(arm)), probabilityBest: round(best[i]!) };
    if (control && arm !== control && arm.assigned > 0 && control.assigned > 0) {
      const [p1, n1, p0, n0] = [rate(arm), arm.assigned, rate(control), control.assigned];
      const d = p1 - p0;
      const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
      const pooled = (arm.converted + control.converted) / (n1 + n0);
      const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
      const pValue = sePooled === 0 ? 1 : 2 * (1 - jstat.normal.cdf(Math.abs(d) / sePooled, 0, 1));
      result.difference = { value: round(d), interval: [round(d - z * se), round(d + z * se)] };
      result.lift = p0 > 0 ? { value: round(d / p0), interval: [round((d - z * se) / p0), round((d + z * se) / p0)] } : null;
      result.pValue = round(pValue);
      result.significant = pValue < 1 - confidence;
    }
    out[arm.id] = result;
  }
  return out;
}

/** P(arm i has the highest rate) under Beta posteriors: ∫ pdf_i(x) Π_j≠i cdf_j(x) dx, by Simpson's rule. */
export function probabilityBest(arms: readonly ArmCounts[]): number[] {
  if (arms.length === 0) return [];
  const posts = arms.map((a) => ({ a: 1 + a.converted, b: 1 + Math.max(0, a.assigned - a.converted) }));
  // Integrate where the posteriors have their mass: ten standard deviations around each mean.
  const spread = posts.map(({ a, b }) => ({ mean: a / (a + b), sd: Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))) }));
  const lo = Math.max(0, Math.min(...spread.map((s) => s.mean - 10 * s.sd)));
  const hi = Math.min(1, Math.max(...spread.map((s) => s.mean + 10 * s.sd)));
  const steps = 2000;
  const h = (hi - lo) / steps;
  const sums = posts.map(() => 0);
  for (let k = 0; k <= steps; k += 1) {
    const x = lo + k * h;
    const weight = k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2;
    const cdfs = posts.map(({ a, b }) => jstat.beta.cdf(x, a, b));
    posts.forEach(({ a, b }, i) => {
      const pdf = jstat.beta.pdf(x, a, b);
      if (!Number.isFinite(pdf) || pdf === 0) return;
      sums[i]! += weight * pdf * cdfs.reduce((p, c, j) => (j === i ? p : p * c), 1);
    });
  }
  const total = sums.reduce((a, b) => a + b, 0);
  return sums.map((s) => (total > 0 ? s / total : 1 / arms.length));
}
