import { describe, expect, it } from 'vitest';
import { compileAudiences, evaluateAudiences, indexHistory, type HistoryEvent } from '../../functions/domain/audiences';
import { emptyProfile, type Profile } from '../../functions/domain/profile';
import { loadWorkspace } from '../../workspace/load';
import { workspaceProblems, workspaceWith } from './helpers';
import type { Audience } from '../../statemachines';

const audiencesWorkspace = (audiences: Record<string, unknown>) => workspaceWith({ audiences });
const problems = workspaceProblems;

describe('audience files', () => {
  it('name every mistake with its JSON path: wrong roots, bad windows and counts, unknown keys', () => {
    const root = audiencesWorkspace({
      a: {
        id: 'a',
        where: {
          all: [
            { path: 'event.properties.x', op: 'eq', value: 1 },
            { event: 'order.placed', within: 'P1M', count: { gte: 2, lt: 5 } },
            { event: 'order.placed', where: { path: 'profile.attributes.tier', op: 'eq', value: 'gold' } },
            { segment: 'x' },
          ],
        },
      },
    });
    expect(problems(root)).toStrictEqual([
      'audiences/a.json $.where.all[0].path invalid-field: must be a path under profile here',
      'audiences/a.json $.where.all[1].within invalid-field: "P1M" is not an ISO 8601 duration such as P3D, PT2H or P1DT12H (years and months are not allowed: use days)',
      'audiences/a.json $.where.all[1].count invalid-field: count takes exactly one of gte, gt, lte, lt, eq',
      'audiences/a.json $.where.all[2].where.path invalid-field: must be a path under event here',
      'audiences/a.json $.where.all[3] invalid-field: a predicate must be an object with one of all, any, not, path, event, audience',
    ]);
  });

  it('refuse references to audiences that do not exist, cycles, and an id that is not the file name', () => {
    expect(problems(audiencesWorkspace({ a: { id: 'a', where: { audience: 'ghost' } } }))).toStrictEqual(['audiences/a.json $.where unknown-audience: no audience "ghost"; audiences are: a']);
    expect(problems(audiencesWorkspace({ a: { id: 'a', where: { audience: 'b' } }, b: { id: 'b', where: { not: { audience: 'a' } } } }))).toStrictEqual([
      'audiences/a.json $.where audience-cycle: audiences refer to each other in a cycle: a → b → a',
    ]);
    expect(problems(audiencesWorkspace({ a: { id: 'b', where: { path: 'profile.id', op: 'exists' } } }))).toStrictEqual(['audiences/a.json $.id invalid-field: the id must be the file name, "a"']);
  });

  it('load in dependency order', () => {
    const root = audiencesWorkspace({
      a: { id: 'a', where: { all: [{ audience: 'c' }, { audience: 'b' }] } },
      b: { id: 'b', where: { audience: 'c' } },
      c: { id: 'c', where: { path: 'profile.attributes.tier', op: 'eq', value: 'gold' } },
    });
    expect(loadWorkspace(root).audiences.map((a) => a.id)).toStrictEqual(['c', 'b', 'a']);
  });
});

describe('compiled audiences', () => {
  const at = Date.parse('2026-11-29T12:00:00Z');
  const order = (daysAgo: number, total: number, i = daysAgo): HistoryEvent => ({ id: `o${i}`, type: 'order.placed', timestamp: new Date(at - daysAgo * 86_400_000).toISOString(), properties: { total } });
  const profile = (attributes: Record<string, unknown>, audiences?: Record<string, string>): Profile => ({ ...emptyProfile('p', ''), attributes, ...(audiences ? { audiences } : {}) });
  const audiences: Audience[] = [
    { id: 'big-spender', where: { event: 'order.placed', within: 'P30D', where: { path: 'event.properties.total', op: 'gte', value: 100 }, count: { gte: 2 } } },
    { id: 'never-ordered', where: { event: 'order.placed', count: { eq: 0 } } },
    { id: 'gold', where: { path: 'profile.attributes.tier', op: 'eq', value: 'gold' } },
    { id: 'gold-big', where: { all: [{ audience: 'gold' }, { audience: 'big-spender' }] } },
  ];
  const set = compileAudiences(audiences);

  it('count events of a type, in the window, that match their condition', () => {
    const history = indexHistory([order(1, 150), order(10, 99), order(20, 200), order(40, 500)]);
    expect(Object.fromEntries(evaluateAudiences(set, profile({ tier: 'gold' }), history, at))).toStrictEqual({ 'big-spender': true, 'never-ordered': false, gold: true, 'gold-big': true });
    const sparse = indexHistory([order(1, 150), order(40, 500)]);
    expect(Object.fromEntries(evaluateAudiences(set, profile({ tier: 'gold' }), sparse, at))).toMatchObject({ 'big-spender': false, 'gold-big': false });
    expect(evaluateAudiences(set, profile({}), new Map(), at).get('never-ordered')).toBe(true);
  });

  it('an audience not re-evaluated keeps its recorded membership for those that refer to it', () => {
    const recorded = profile({ tier: 'gold' }, { 'big-spender': '2026-11-01T00:00:00Z' });
    expect(evaluateAudiences(set, recorded, new Map(), at, new Set(['gold', 'gold-big'])).get('gold-big')).toBe(true);
  });

  it('know which audiences an event can change, and which slide with time', () => {
    expect([...set.affectedBy('order.placed', false)].sort()).toStrictEqual(['big-spender', 'gold-big', 'never-ordered']);
    expect([...set.affectedBy('page.viewed', true)].sort()).toStrictEqual(['gold', 'gold-big']);
    expect([...set.affectedBy('page.viewed', false)]).toStrictEqual([]);
    expect([...set.timeDependent()].sort()).toStrictEqual(['big-spender', 'gold-big']);
  });
});
