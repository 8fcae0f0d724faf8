// ISO 8601 durations limited to the units that have a fixed length (weeks, days, hours, minutes, seconds).
// Years and months are refused: their length depends on the calendar, and Step Functions waits are in seconds.

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** The longest wait a Standard workflow can hold: executions last at most one year. */
export const MAX_WAIT_SECONDS = 365 * 24 * 3600;

export type DurationResult = { ok: true; seconds: number } | { ok: false; reason: string };

export function parseDuration(text: string): DurationResult {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) {
    const hint = /^P.*[YM]/.test(text) && !text.includes('T') ? ' (years and months are not allowed: use days)' : '';
    return { ok: false, reason: `"${text}" is not an ISO 8601 duration such as P3D, PT2H or P1DT12H${hint}` };
  }
  const [w, d, h, min, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number];
  const seconds = (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
  if (seconds === 0) return { ok: false, reason: `"${text}" is zero: a wait must last at least one second` };
  if (seconds > MAX_WAIT_SECONDS) return { ok: false, reason: `"${text}" is longer than one year, the longest a journey can run` };
  return { ok: true, seconds };
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(text: string): { ok: true; date: Date } | { ok: false; reason: string } {
  const date = new Date(text);
  if (!ISO_TIMESTAMP.test(text) || Number.isNaN(date.getTime())) {
    return { ok: false, reason: `"${text}" is not an ISO 8601 timestamp with a time zone, such as 2026-12-24T09:00:00Z` };
  }
  return { ok: true, date };
}
