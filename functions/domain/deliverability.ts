// The deliverability guard: bounce and complaint rates over a rolling day, from the delivery feedback. Over a
// threshold, marketing sends pause (transactional ones go on) until the rates fall back under half of it.

export interface DeliverabilityRules {
  maxBounceRate: number;
  maxComplaintRate: number;
  /** Fewer sends than this in the window say nothing yet. */
  minSends: number;
}

export const DEFAULT_DELIVERABILITY: DeliverabilityRules = { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSends: 100 };

export interface DeliveryCounts {
  delivered: number;
  bounced: number;
  complained: number;
}

export interface DeliverabilityStore {
  /** Counts an outcome in its hour (an atomic add). */
  count(kind: keyof DeliveryCounts, at: Date): Promise<void>;
  /** The counts of the 24 hours before `now`. */
  lastDay(now: Date): Promise<DeliveryCounts>;
  paused(): Promise<{ paused: boolean; reason?: string }>;
  setPaused(paused: boolean, reason: string, at: Date): Promise<void>;
}

/** Whether the guard should hold marketing sends, given the last day's counts and whether it holds them now. */
export function guardVerdict(counts: DeliveryCounts, rules: DeliverabilityRules, pausedNow: boolean): { paused: boolean; reason: string } {
  const sends = counts.delivered + counts.bounced;
  if (sends < rules.minSends) return { paused: pausedNow, reason: 'too few sends to judge' };
  const bounceRate = counts.bounced / sends;
  const complaintRate = counts.complained / sends;
  const reason = `bounce rate ${(bounceRate * 100).toFixed(2)}%, complaint rate ${(complaintRate * 100).toFixed(3)}% over the last day`;
  const over = bounceRate > rules.maxBounceRate || complaintRate > rules.maxComplaintRate;
  const clear = bounceRate <= rules.maxBounceRate / 2 && complaintRate <= rules.maxComplaintRate / 2;
  return { paused: over || (pausedNow && !clear), reason };
}
