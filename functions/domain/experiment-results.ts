import jstat from 'jstat';
import type { FeedbackKind } from '../../statemachines/channels';
import type { ArmOutcome, CounterRow } from '../ports';
import { addArmOutcomes, HOLDOUT, type Arm } from './experiments';
import { feedbackKind, partsOf } from './reports';

// What a campaign experiment's counts say: each arm against the control, pure (the campaign API's report).

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

export interface ArmReport extends ArmOutcome, ArmComparison {
  feedback: Partial<Record<FeedbackKind, number>>;
  converted: number;
}

/**
 * A campaign experiment's results: each arm's counts from the runs' batches, its delivery feedback and
 * conversions from the counters of its step, and the comparison with the control (the holdout, else the first
 * treatment). Assigned and converted are per campaign run: a profile in two runs counts in each.
 */
export function experimentReport(arms: readonly Arm[], runs: ReadonlyArray<{ arms?: Record<string, ArmOutcome> }>, rows: readonly CounterRow[], confidence = 0.95) {
  const byStep = new Map<string, { feedback: Partial<Record<FeedbackKind, number>>; converted: number }>(arms.map((a) => [a.step, { feedback: {}, converted: 0 }]));
  for (const row of rows) {
    if (row.hour === 'ALL') continue;
    const [, step, name] = partsOf(row.key);
    const into = byStep.get(step);
    const kind = feedbackKind(name);
    if (!into) continue;
    if (name === 'goal') into.converted += row.n;
    else if (kind) into.feedback[kind] = (into.feedback[kind] ?? 0) + row.n;
  }
  const totals = addArmOutcomes(runs.map((r) => r.arms));
  const counts = arms.map((arm) => ({ id: arm.id, ...(totals?.[arm.id] ?? { assigned: 0, sent: 0, skipped: 0, failed: 0 }), ...byStep.get(arm.step)! }));
  const control = arms.some((a) => a.id === HOLDOUT) ? HOLDOUT : arms[0]!.id;
  const compared = compareArms(counts, control, confidence);
  return {
    control,
    confidence,
    method: 'conversion = converted / assigned; difference: Wald interval, lift = difference / control rate; p-value: pooled two-proportion z-test; probabilityBest: Beta(1 + converted, 1 + assigned - converted) posteriors',
    arms: Object.fromEntries(counts.map(({ id, ...c }): [string, ArmReport] => [id, { ...c, ...compared[id]! }])),
  };
}
