import jstat from 'jstat';
import { describe, expect, it } from 'vitest';
import { armOf, armsOf } from '../../functions/domain/experiments';
import { compareArms, experimentReport, probabilityBest } from '../../functions/domain/experiment-results';
import { workspaceProblems, workspaceWith } from './helpers';

const treatments = [
  { id: 'gentle', weight: 45, message: { channel: 'email' as const, template: 'gentle' } },
  { id: 'bold', weight: 45, message: { channel: 'email' as const, template: 'bold' } },
];

describe('experiment campaign files', () => {
  it('name every mistake with its JSON path', () => {
    const root = workspaceWith({
      templates: { gentle: { channel: 'email', subject: 's', text: 't' }, bold: { channel: 'email', subject: 's', text: 't' } },
      audiences: { all: { id: 'all', where: { path: 'profile.id', op: 'exists' } } },
      journeys: { welcome: { id: 'welcome', name: 'W', entry: { event: 'signed.up' }, start: 'done', steps: { done: { type: 'end' } } } },
      campaigns: {
        a: { id: 'a', audience: 'all', treatments: [treatments[0], { ...treatments[1], id: 'gentle', message: { channel: 'sms', template: 'bold' } }], trigger: 'api' },
        b: { id: 'b', audience: 'all', treatments, message: { channel: 'email', template: 'gentle' }, trigger: 'api' },
        c: { id: 'c', audience: 'all', journey: 'welcome', holdout: 10, trigger: 'api' },
        d: { id: 'd', audience: 'all', treatments: [treatments[0], { ...treatments[1], message: { channel: 'email', template: 'bolder' } }], holdout: 60, goal: { event: 'order.placed', within: 'P1M' }, trigger: 'api' },
      },
    });
    expect(workspaceProblems(root)).toStrictEqual([
      'campaigns/a.json $.treatments[1].id invalid-field: "gentle" is the id of another treatment',
      'campaigns/b.json $.message invalid-field: a campaign has exactly one of message (a channel and a template), treatments or journey',
      "campaigns/c.json $.holdout invalid-field: a campaign that enrols into a journey holds out and counts goals in the journey (a split with a holdout path, the journey's goal)",
      'campaigns/d.json $.holdout invalid-field: Too big: expected number to be <=50',
      'campaigns/d.json $.goal.within invalid-field: must be an ISO 8601 duration of at most a year, such as P7D or PT12H',
    ]);
  });
});

describe('assignment', () => {
  const arms = armsOf({ treatments, holdout: 10 })!;

  it('gives each arm its share, the same arm every time, and another draw for another campaign', () => {
    expect(arms.map((a) => [a.id, a.step, a.share])).toStrictEqual([['gentle', 'treatment.gentle', 45], ['bold', 'treatment.bold', 45], ['holdout', 'holdout', 10]]);
    const ids = Array.from({ length: 20_000 }, (_, i) => `profile-${i}`);
    const count = (campaign: string) => {
      const n: Record<string, number> = {};
      for (const id of ids) n[armOf(arms, campaign, id).id] = (n[armOf(arms, campaign, id).id] ?? 0) + 1;
      return n;
    };
    const shares = count('churn-save');
    for (const arm of arms) expect(Math.abs((shares[arm.id]! / ids.length) * 100 - arm.share)).toBeLessThan(1);
    // The same profile, from arms made anew (another process, another run): the same arm.
    const again = armsOf({ treatments, holdout: 10 })!;
    expect(ids.slice(0, 500).map((id) => armOf(again, 'churn-save', id).id)).toStrictEqual(ids.slice(0, 500).map((id) => armOf(arms, 'churn-save', id).id));
    // Another campaign's holdout is not this one's: about 10% of this holdout is in the other's.
    const held = ids.filter((id) => armOf(arms, 'churn-save', id).id === 'holdout');
    const heldThere = held.filter((id) => armOf(arms, 'winback', id).id === 'holdout').length / held.length;
    expect(heldThere).toBeGreaterThan(0.07);
    expect(heldThere).toBeLessThan(0.13);
  });

  it('makes a plain message one arm under its usual step, and leaves a plain campaign alone', () => {
    expect(armsOf({ message: treatments[0]!.message, holdout: 5 })!.map((a) => [a.id, a.step, a.share])).toStrictEqual([['message', 'message', 95], ['holdout', 'holdout', 5]]);
    expect(armsOf({ message: treatments[0]!.message })).toBeUndefined();
  });
});

describe('comparison', () => {
  const counts = [
    { id: 'gentle', assigned: 900, converted: 90 },
    { id: 'bold', assigned: 900, converted: 135 },
    { id: 'holdout', assigned: 200, converted: 10 },
  ];

  it('matches a hand computation: Wald interval of the difference, lift, pooled z-test', () => {
    const result = compareArms(counts, 'holdout');
    // gentle against the holdout, by hand: 10% against 5%.
    const se = Math.sqrt((0.1 * 0.9) / 900 + (0.05 * 0.95) / 200); // 0.018371
    const z = 1.959964;
    const pooled = 100 / 1100;
    const zStat = 0.05 / Math.sqrt(pooled * (1 - pooled) * (1 / 900 + 1 / 200)); // 2.2249
    const twoSided = 2 * (1 - jstat.normal.cdf(zStat, 0, 1));
    expect(result.gentle!.conversionRate).toBe(0.1);
    expect(result.gentle!.difference!.value).toBeCloseTo(0.05, 4);
    expect(result.gentle!.difference!.interval[0]).toBeCloseTo(0.05 - z * se, 4);
    expect(result.gentle!.difference!.interval[1]).toBeCloseTo(0.05 + z * se, 4);
    expect(result.gentle!.lift!.value).toBeCloseTo(1, 4);
    expect(result.gentle!.lift!.interval[0]).toBeCloseTo((0.05 - z * se) / 0.05, 3);
    expect(result.gentle!.pValue).toBeCloseTo(twoSided, 4);
    expect(twoSided).toBeCloseTo(0.0261, 3);
    expect(result.gentle!.significant).toBe(true);
    expect(result.holdout).toStrictEqual({ conversionRate: 0.05, probabilityBest: expect.any(Number) });
  });

  it('gives the probability of being best that the closed form gives for two arms', () => {
    // Evan Miller's closed form of P(B > A) for Beta posteriors.
    const [aA, bA, aB, bB] = [1 + 30, 1 + 170, 1 + 40, 1 + 160];
    let pBbeatsA = 0;
    for (let i = 0; i < aB; i += 1) pBbeatsA += Math.exp(jstat.betaln(aA + i, bA + bB) - Math.log(bB + i) - jstat.betaln(1 + i, bB) - jstat.betaln(aA, bA));
    const [a, b] = probabilityBest([
      { id: 'a', assigned: 200, converted: 30 },
      { id: 'b', assigned: 200, converted: 40 },
    ]);
    expect(b!).toBeCloseTo(pBbeatsA, 4);
    expect(a! + b!).toBeCloseTo(1, 6);
    expect(probabilityBest([{ id: 'a', assigned: 50, converted: 5 }, { id: 'b', assigned: 50, converted: 5 }])[0]).toBeCloseTo(0.5, 4);
  });

  it('reports arms from the runs and the counters of their steps', () => {
    const arms = armsOf({ treatments, holdout: 10 })!;
    const runs = [{ arms: { gentle: { assigned: 900, sent: 880, skipped: 20, failed: 0 }, bold: { assigned: 900, sent: 900, skipped: 0, failed: 0 }, holdout: { assigned: 200, sent: 0, skipped: 0, failed: 0 } } }];
    const row = (step: string, name: string, n: number) => ({ key: `-|${step}|${name}`, hour: '2026-11-30T08', n });
    const rows = [row('treatment.gentle', 'goal', 90), row('treatment.bold', 'goal', 135), row('holdout', 'goal', 10), row('treatment.gentle', 'email.opened', 300), { ...row('treatment.bold', 'goal', 99), hour: 'ALL' }];
    const report = experimentReport(arms, runs, rows);
    expect(report.control).toBe('holdout');
    expect(report.arms.gentle).toMatchObject({ assigned: 900, sent: 880, converted: 90, feedback: { opened: 300 }, conversionRate: 0.1 });
    expect(report.arms.bold).toMatchObject({ converted: 135, conversionRate: 0.15, significant: true });
    expect(report.arms.holdout).toMatchObject({ assigned: 200, sent: 0, converted: 10 });
  });
});
