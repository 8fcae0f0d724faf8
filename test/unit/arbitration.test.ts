import { describe, expect, it } from 'vitest';
import { arbitrate, brokenCap, entryCandidate } from '../../functions/domain/arbitration';
import type { Run } from '../../functions/ports';

const now = new Date('2026-11-30T12:00:00Z');
const detail = { event: { id: 'e-1', type: 'cart.abandoned', profileId: 'p', timestamp: now.toISOString(), properties: { sku: 'S-1' } }, profile: { id: 'p', attributes: { tier: 'vip' } } };
const nameOf = (journeyId: string) => `${journeyId}-e-1`;
const run = (journeyId: string, extra: Partial<Run> = {}): Run => ({ profileId: 'p', journeyId, correlation: '-', executionName: `${journeyId}-old`, executionArn: '', status: 'running', enteredAt: '2026-11-30T11:00:00Z', ...extra });

describe('arbitration', () => {
  const candidates = [
    { journeyId: 'survey', priority: 10 },
    { journeyId: 'vip', priority: 30, when: { path: 'profile.attributes.tier', op: 'eq' as const, value: 'gold' } },
    { journeyId: 'rescue', priority: 20, reentry: 'never' as const },
    { journeyId: 'also-20', priority: 20 },
  ];

  it('picks the highest priority whose condition holds and whose re-entry rule admits the profile; ties by id', () => {
    expect(arbitrate(candidates, detail, [], now, nameOf)).toBe('also-20');
    expect(arbitrate(candidates.filter((c) => c.journeyId !== 'also-20'), detail, [], now, nameOf)).toBe('rescue');
    // Rescue is "never again" and the profile ran it: the next one wins.
    expect(arbitrate(candidates.filter((c) => c.journeyId !== 'also-20'), detail, [run('rescue', { status: 'ended', correlation: '-' })], now, nameOf)).toBe('survey');
  });

  it('keeps the winner when the event is delivered again after it entered', () => {
    const listed = candidates.filter((c) => c.journeyId !== 'also-20');
    expect(arbitrate(listed, detail, [run('rescue', { executionName: nameOf('rescue') })], now, nameOf)).toBe('rescue');
  });

  it('lists only journeys with an entry event and a priority', () => {
    expect(entryCandidate({ id: 'j', entry: { event: 'cart.abandoned' }, priority: 5 })).toStrictEqual({ event: 'cart.abandoned', journeyId: 'j', priority: 5 });
    expect(entryCandidate({ id: 'j', entry: { event: 'cart.abandoned' } })).toBeUndefined();
    expect(entryCandidate({ id: 'j', entry: {}, priority: 5 })).toBeUndefined();
  });
});

describe('journey caps', () => {
  const caps = [{ category: 'marketing', concurrent: 1 }, { max: 2, within: 'P1D' }];

  it('count the profile\'s journey runs: at once by category, entries in the period; not campaign sends, not this entry', () => {
    expect(brokenCap(caps, 'marketing', [run('promo', { category: 'marketing' })], now, 'new')).toStrictEqual(caps[0]);
    expect(brokenCap(caps, 'service', [run('promo', { category: 'marketing' })], now, 'new')).toBeUndefined();
    expect(brokenCap(caps, undefined, [run('a', { status: 'ended' }), run('b', { status: 'ended' })], now, 'new')).toStrictEqual(caps[1]);
    expect(brokenCap(caps, undefined, [run('a', { status: 'ended', enteredAt: '2026-11-28T12:00:00Z' }), run('b', { status: 'ended' })], now, 'new')).toBeUndefined();
    expect(brokenCap(caps, undefined, [run('campaign-x', { arm: 'holdout' }), run('b', { status: 'ended' })], now, 'new')).toBeUndefined();
    expect(brokenCap(caps, undefined, [run('a', { executionName: 'new' }), run('b', { status: 'ended' })], now, 'new')).toBeUndefined();
  });
});
