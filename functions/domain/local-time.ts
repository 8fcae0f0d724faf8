// The next moment a wall-clock time comes round in a time zone, on given weekdays, with the platform's
// time-zone database (Intl). Pure.

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The zone if the platform knows it, else UTC. */
export function knownTimeZone(zone: unknown): string {
  if (typeof zone !== 'string' || zone.length === 0) return 'UTC';
  try {
    formatterOf(zone);
    return zone;
  } catch {
    return 'UTC';
  }
}

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

// A formatter per zone: making one costs some 100 times what formatting costs, and send-time optimisation
// reads the wall clock of every engagement in a history.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The date and time an instant shows in a zone (weekday: 0 is Sunday). */
export function wallClock(at: Date, timeZone: string): Wall {
  const parts = formatterOf(timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as Weekday),
  };
}

/** The zone's offset from UTC at an instant, in ms (to the minute). */
function offsetAt(t: number, timeZone: string): number {
  const w = wallClock(new Date(t), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(t / 60_000) * 60_000;
}

/**
 * The UTC instant showing this wall-clock time in the zone. In a DST gap (a time that does not exist) it is
 * moved forward by the gap (02:30 becomes 03:30); in an overlap it is the later of the two.
 */
function instantOf(wall: Omit<Wall, 'weekday'>, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const naive = offsetAt(asUtc, timeZone);
  const first = asUtc - naive;
  const actual = offsetAt(first, timeZone);
  return new Date(actual === naive ? first : asUtc - actual);
}

/** The first moment after `now` when it is `hhmm` in the zone, on one of `days` (any day when not given). */
export function nextLocalTime(now: Date, hhmm: string, timeZone: string, days?: readonly Weekday[]): Date {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  const today = wallClock(now, timeZone);
  for (let offset = 0; offset <= 7; offset += 1) {
    // Calendar arithmetic on the local date, in UTC so no zone shifts it.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = date.getUTCDay();
    if (days && !days.includes(WEEKDAYS[weekday]!)) continue;
    const candidate = instantOf({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour, minute }, timeZone);
    if (candidate.getTime() > now.getTime()) return candidate;
  }
  throw new Error(`no ${hhmm} in the next week on ${days?.join(', ')}`);
}

/** An instant as a Wait state's TimestampPath takes it: RFC 3339, whole seconds, Z. */
export const waitTimestamp = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
