import { Matrix } from 'ml-matrix';
import LogisticRegressionTwoClasses from 'ml-logistic-regression/src/logreg_2classes.js';
import { parseDuration } from '../../statemachines/schema/duration';
import { featureName, type Feature, type Model } from '../../statemachines/schema/model';
import type { Profile } from './profile';

// Propensity models: what a model learns from and how (logistic regression, ml-logistic-regression), and how
// well it did on the profiles it never saw. Pure: the jobs loop (model-jobs.ts) reads and writes.
//
// Learning without looking ahead: a row's features are read as of `cutoff` (the training time less the goal's
// window) and its label is whether the goal happened between cutoff and the training time. Scoring reads the
// same features as of now, and predicts the goal within the window from now.

export interface HistoryItem {
  type: string;
  timestamp: string;
}

/** A trained model: coefficients and how it scored, never anyone's data. */
export interface TrainedModel {
  id: string;
  trainedAt: string;
  cutoff: string;
  features: string[];
  /** Standardisation: x' = (x - mean) / scale. */
  means: number[];
  scales: number[];
  /** Intercept first, then one per feature (on standardised features). */
  coefficients: number[];
  rows: { training: number; heldOut: number; positives: number };
  /** Area under the ROC curve on the held-out profiles; null when they are all of one label. */
  auc: number | null;
  /** Held-out profiles in ten buckets of predicted probability: mean predicted against observed rate. */
  calibration: Array<{ bucket: number; count: number; predicted: number; observed: number }>;
}

const DAY = 86_400_000;
const seconds = (d: string) => (parseDuration(d) as { seconds: number }).seconds;

/** How far back a model reads history: the goal's window and the longest feature window before it. */
export function historyReach(model: Model): number {
  const longest = Math.max(0, ...model.features.map((f) => ('within' in f ? seconds(f.within) : 0)));
  return (seconds(model.goal.within) + longest) * 1000;
}

/** The event types a model reads. */
export const eventsOf = (model: Model): string[] => [...new Set([model.goal.event, ...model.features.flatMap((f) => ('count' in f ? [f.count] : 'recency' in f ? [f.recency] : []))])];

function featureValue(f: Feature, profile: Pick<Profile, 'attributes'>, history: readonly HistoryItem[], at: number): number {
  if ('attribute' in f) {
    const v = profile.attributes[f.attribute];
    if ('equals' in f) return v === f.equals ? 1 : 0;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
    return Number.isFinite(n) ? n : 0;
  }
  const from = at - seconds(f.within) * 1000;
  const times = history.filter((e) => e.type === ('count' in f ? f.count : f.recency)).map((e) => Date.parse(e.timestamp)).filter((t) => t >= from && t < at);
  if ('count' in f) return Math.log1p(times.length);
  return times.length === 0 ? seconds(f.within) / 86_400 : (at - Math.max(...times)) / DAY;
}

/** A profile's features as of `at` (ms). */
export function featuresAt(model: Model, profile: Pick<Profile, 'attributes'>, history: readonly HistoryItem[], at: number): number[] {
  return model.features.map((f) => featureValue(f, profile, history, at));
}

/** Where a training's features stop and its labels start: the training time less the goal's window (ms). */
const cutoffOf = (model: Model, trainedAt: number) => trainedAt - seconds(model.goal.within) * 1000;

/** A training row: features as of the cutoff, label: the goal happened between cutoff and `trainedAt`. */
export function trainingRow(model: Model, profile: Pick<Profile, 'attributes'>, history: readonly HistoryItem[], trainedAt: number): { x: number[]; y: 0 | 1 } {
  const cutoff = cutoffOf(model, trainedAt);
  const y = history.some((e) => e.type === model.goal.event && Date.parse(e.timestamp) >= cutoff && Date.parse(e.timestamp) < trainedAt) ? 1 : 0;
  return { x: featuresAt(model, profile, history, cutoff), y };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The probability a trained model gives features `x`. */
export function predict(model: Pick<TrainedModel, 'means' | 'scales' | 'coefficients'>, x: readonly number[]): number {
  let z = model.coefficients[0]!;
  for (let i = 0; i < x.length; i += 1) z += model.coefficients[i + 1]! * ((x[i]! - model.means[i]!) / model.scales[i]!);
  return sigmoid(z);
}

/** Gradient steps of the fit: enough for a handful of standardised features to settle. */
export const FIT_STEPS = 400;

/**
 * Fits logistic regression on standardised features with an intercept (ml-logistic-regression: batch gradient
 * descent). Its step is the sum of the row gradients: divided by the rows, and by the trace bound of the
 * curvature (features + 1 for standardised columns), so any data converges without tuning.
 */
export function fit(rows: ReadonlyArray<{ x: readonly number[]; y: number }>): Pick<TrainedModel, 'means' | 'scales' | 'coefficients'> {
  const k = rows[0]?.x.length ?? 0;
  const means = Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r.x[j]!, 0) / Math.max(1, rows.length));
  const scales = means.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r.x[j]! - m) ** 2, 0) / Math.max(1, rows.length)) || 1);
  if (rows.length === 0) return { means, scales, coefficients: new Array<number>(k + 1).fill(0) };
  const X = new Matrix(rows.map((r) => [1, ...r.x.map((v, j) => (v - means[j]!) / scales[j]!)]));
  const y = Matrix.columnVector(rows.map((r) => r.y));
  const regression = new LogisticRegressionTwoClasses({ numSteps: FIT_STEPS, learningRate: 3.6 / ((k + 1) * rows.length) });
  regression.train(X, y);
  return { means, scales, coefficients: regression.weights!.to1DArray() };
}

/** Area under the ROC curve (Mann-Whitney: the chance a positive outscores a negative, ties half). */
export function auc(scores: readonly number[], labels: readonly number[]): number | null {
  const order = scores.map((s, i) => ({ s, y: labels[i]! })).sort((a, b) => a.s - b.s);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j += 1;
    const rank = (i + 1 + j) / 2; // mean rank of the tie group, 1-based
    for (let t = i; t < j; t += 1) if (order[t]!.y === 1) (positives += 1), (rankSum += rank);
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Ten buckets of predicted probability (0-0.1, ... 0.9-1): how many, mean predicted, observed rate. */
export function calibration(scores: readonly number[], labels: readonly number[]): TrainedModel['calibration'] {
  const buckets = Array.from({ length: 10 }, (_, bucket) => ({ bucket, count: 0, predicted: 0, observed: 0 }));
  scores.forEach((s, i) => {
    const b = buckets[Math.min(9, Math.floor(s * 10))]!;
    b.count += 1;
    b.predicted += s;
    b.observed += labels[i]!;
  });
  return buckets.filter((b) => b.count > 0).map((b) => ({ bucket: b.bucket, count: b.count, predicted: round(b.predicted / b.count), observed: round(b.observed / b.count) }));
}

const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** Trains on the training rows and measures on the held-out ones. */
export function train(model: Model, rows: ReadonlyArray<{ x: number[]; y: number; heldOut: boolean }>, trainedAt: number): TrainedModel {
  const training = rows.filter((r) => !r.heldOut);
  const held = rows.filter((r) => r.heldOut);
  const fitted = fit(training);
  const scores = held.map((r) => predict(fitted, r.x));
  const labels = held.map((r) => r.y);
  const a = auc(scores, labels);
  return {
    id: model.id,
    trainedAt: new Date(trainedAt).toISOString(),
    cutoff: new Date(cutoffOf(model, trainedAt)).toISOString(),
    features: model.features.map(featureName),
    ...fitted,
    rows: { training: training.length, heldOut: held.length, positives: rows.filter((r) => r.y === 1).length },
    auc: a === null ? null : round(a),
    calibration: calibration(scores, labels),
  };
}

/** A profile's score now, rounded to 4 places (a score that did not move is not written again). */
export function scoreOf(model: Model, trained: TrainedModel, profile: Pick<Profile, 'attributes'>, history: readonly HistoryItem[], now: number): number {
  return round(predict(trained, featuresAt(model, profile, history, now)));
}
