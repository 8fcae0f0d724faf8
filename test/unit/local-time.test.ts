import { describe, expect, it } from 'vitest';
import { knownTimeZone, nextLocalTime } from '../../functions/domain/local-time';

const at = (iso: string) => new Date(iso);

describe('nextLocalTime', () => {
  it('is later today when the time has not come yet, tomorrow when it has', () => {
    expect(nextLocalTime(at('2026-11-28T06:00:00Z'), '09:00', 'Europe/Paris').toISOString()).toBe('2026-11-28T08:00:00.000Z');
    expect(nextLocalTime(at('2026-11-28T08:00:00Z'), '09:00', 'Europe/Paris').toISOString()).toBe('2026-11-29T08:00:00.000Z');
  });

  it('keeps to the given weekdays (28 Nov 2026 is a Saturday)', () => {
    expect(nextLocalTime(at('2026-11-28T06:00:00Z'), '09:00', 'America/New_York', ['mon']).toISOString()).toBe('2026-11-30T14:00:00.000Z');
  });

  it('follows daylight saving time: 09:00 in Paris is 07:00Z in summer, 08:00Z in winter', () => {
    expect(nextLocalTime(at('2026-10-24T12:00:00Z'), '09:00', 'Europe/Paris').toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(nextLocalTime(at('2026-07-01T12:00:00Z'), '09:00', 'Europe/Paris').toISOString()).toBe('2026-07-02T07:00:00.000Z');
  });

  it('takes the first instant after a time that does not exist (the spring-forward gap)', () => {
    // 29 March 2026, 02:30 does not exist in Paris (02:00 -> 03:00).
    expect(nextLocalTime(at('2026-03-29T00:00:00Z'), '02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('falls back to UTC for a missing or unknown zone', () => {
    expect(knownTimeZone(undefined)).toBe('UTC');
    expect(knownTimeZone('Mars/Olympus_Mons')).toBe('UTC');
    expect(knownTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});
