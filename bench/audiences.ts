import { Engine } from 'json-rules-engine';
import { compileAudiences, evaluateAudiences } from '../functions/domain/audiences';
import type { Profile } from '../functions/domain/profile';
import type { Audience } from '../statemachines';
import { measure, round } from './measure';

// Profiles evaluated per second for a 10-condition audience: our compiled closures, json-rules-engine on the
// same data and the same conditions, and a hand-written function (the floor) as the baseline.

const tiers = ['gold', 'silver', 'platinum', 'bronze'];
const countries = ['FR', 'DE', 'FR', 'US'];
function profiles(n: number): Profile[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `p-${i}`,
    attributes: {
      tier: tiers[i % 4],
      age: 15 + (i % 50),
      country: countries[(i >> 2) % 4],
      newsletter: i % 3 !== 0,
      totalSpent: (i * 37) % 500,
      email: i % 10 === 0 ? undefined : `p${i}@example.com`,
      city: i % 2 === 0 ? 'Paris' : 'Lyon',
      visits: i % 7,
      churnRisk: (i % 10) / 10,
      plan: i % 5 === 0 ? 'free' : 'pro',
    },
    attributeTimes: {},
    createdAt: '',
    updatedAt: '',
    version: 1,
  }));
}

const audience: Audience = {
  id: 'target',
  where: {
    all: [
      { path: 'profile.attributes.tier', op: 'in', value: ['gold', 'platinum'] },
      { path: 'profile.attributes.age', op: 'gte', value: 18 },
      { path: 'profile.attributes.country', op: 'eq', value: 'FR' },
      { path: 'profile.attributes.newsletter', op: 'eq', value: true },
      { path: 'profile.attributes.totalSpent', op: 'gt', value: 100 },
      { path: 'profile.attributes.email', op: 'exists' },
      { path: 'profile.attributes.city', op: 'startsWith', value: 'P' },
      { path: 'profile.attributes.visits', op: 'gte', value: 3 },
      { path: 'profile.attributes.churnRisk', op: 'lt', value: 0.5 },
      { path: 'profile.attributes.plan', op: 'ne', value: 'free' },
    ],
  },
};

const handWritten = (p: Profile) => {
  const a = p.attributes as Record<string, any>;
  return (
    (a.tier === 'gold' || a.tier === 'platinum') &&
    typeof a.age === 'number' && a.age >= 18 &&
    a.country === 'FR' &&
    a.newsletter === true &&
    typeof a.totalSpent === 'number' && a.totalSpent > 100 &&
    a.email !== undefined && a.email !== null &&
    typeof a.city === 'string' && a.city.startsWith('P') &&
    typeof a.visits === 'number' && a.visits >= 3 &&
    typeof a.churnRisk === 'number' && a.churnRisk < 0.5 &&
    a.plan !== 'free'
  );
};

function rulesEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const c = (path: string, operator: string, value: unknown) => ({ fact: 'profile', path: `$.attributes.${path}`, operator, value });
  engine.addOperator('startsWith', (fact: unknown, value: string) => typeof fact === 'string' && fact.startsWith(value));
  engine.addOperator('exists', (fact: unknown) => fact !== undefined && fact !== null);
  engine.addRule({
    conditions: {
      all: [
        c('tier', 'in', ['gold', 'platinum']),
        c('age', 'greaterThanInclusive', 18),
        c('country', 'equal', 'FR'),
        c('newsletter', 'equal', true),
        c('totalSpent', 'greaterThan', 100),
        c('email', 'exists', true),
        c('city', 'startsWith', 'P'),
        c('visits', 'greaterThanInclusive', 3),
        c('churnRisk', 'lessThan', 0.5),
        c('plan', 'notEqual', 'free'),
      ],
    },
    event: { type: 'member' },
  });
  return engine;
}

export async function audienceFigures() {
  const data = profiles(10_000);
  const set = compileAudiences([audience]);
  const empty = new Map();
  const ours = (p: Profile) => evaluateAudiences(set, p, empty, 0).get('target')!;
  const engine = rulesEngine();
  const theirs = async (p: Profile) => (await engine.run({ profile: p })).events.length > 0;

  // The three agree on every profile before anything is timed.
  let members = 0;
  for (const p of data) {
    const expected = handWritten(p);
    if (ours(p) !== expected || (await theirs(p)) !== expected) throw new Error(`engines disagree on ${p.id}`);
    if (expected) members += 1;
  }
  // Each loop counts its members, so no engine's work can be optimised away.
  let sink = 0;
  const count = (f: (p: Profile) => boolean) => () => {
    for (const p of data) if (f(p)) sink += 1;
  };
  const floor = await measure(count(handWritten), { ops: 20, warmup: 5 });
  const compiled = await measure(count(ours), { ops: 20, warmup: 5 });
  // The closure alone, without building the evaluation scope per profile.
  const test = set.audiences[0]!.test;
  const closureOnly = await measure(count((p) => test({ profile: p, history: empty, now: 0, member: () => false })), { ops: 20, warmup: 5 });
  const rules = await measure(async () => {
    for (const p of data) if (await theirs(p)) sink += 1;
  }, { ops: 1, rounds: 5, warmup: 1 });
  if (sink === 0) throw new Error('no members counted');
  const perSecond = (t: { medianUs: number }) => Math.round(data.length / (t.medianUs / 1e6));
  return {
    profiles: data.length,
    conditions: 10,
    members,
    handWrittenProfilesPerSecond: perSecond(floor),
    compiledProfilesPerSecond: perSecond(compiled),
    compiledClosureOnlyProfilesPerSecond: perSecond(closureOnly),
    jsonRulesEngineProfilesPerSecond: perSecond(rules),
    handWrittenOverCompiled: round(compiled.medianUs / floor.medianUs, 1),
    jsonRulesEngineOverCompiled: round(rules.medianUs / compiled.medianUs, 0),
  };
}
