// The ports of the live reports: counters kept once per idempotency key, in hour buckets and gauges.

/** One counter change: a metric of a scope (a journey, a campaign), in the hour bucket of its time, or a gauge. */
export interface CounterChange {
  scope: string;
  /** The metric's name within the scope (version, step, metric). */
  key: string;
  by: number;
  /** A gauge (waiting now, in flight) has no hour: it is the running total. */
  gauge?: boolean;
}

export interface CounterRow {
  /** The hour bucket (ISO 8601, to the hour), or 'ALL' for gauges. */
  hour: string;
  key: string;
  n: number;
}

/** Report counters in hourly buckets: each change applied once per idempotency key, whatever retries. */
export interface ReportCounters {
  /** Applies the changes once for this key, atomically; false when the key was counted before. */
  count(idempotencyKey: string, at: Date, changes: readonly CounterChange[]): Promise<boolean>;
  /** A scope's hour buckets from `from` to `to` (inclusive hours), and its gauges. */
  read(scope: string, from: Date, to: Date): Promise<CounterRow[]>;
}
