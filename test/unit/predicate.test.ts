import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { compileJourney as compileWithCounts, type Predicate } from '../../statemachines';
import { compilePredicate } from '../../functions/domain/predicate';
import { journeyOf } from '../fixtures/journeys';

// These tests look at each step's own states: without the report's count tasks.
const compileJourney = (...[journey, options]: Parameters<typeof compileWithCounts>) => compileWithCounts(journey, { countSteps: false, execution: 'standard', ...options });

const scope = {
  event: { properties: { delayed: true, total: 120, sku: 'SW-42*blue', coupon: null, tags: ['a'], nested: { level: 'x' } } },
  profile: { id: 'p1', attributes: { tier: 'gold', email: 'ada@example.com', visits: 3, optIn: false, since: '2026-01-15T00:00:00Z' } },
  journey: { id: 'test' },
};

const cases: Array<[string, Predicate, boolean]> = [
  ['eq boolean', { path: 'event.properties.delayed', op: 'eq', value: true }, true],
  ['eq string', { path: 'profile.attributes.tier', op: 'eq', value: 'gold' }, true],
  ['eq wrong type', { path: 'event.properties.total', op: 'eq', value: '120' }, false],
  ['eq number', { path: 'event.properties.total', op: 'eq', value: 120 }, true],
  ['eq null', { path: 'event.properties.coupon', op: 'eq', value: null }, true],
  ['eq missing', { path: 'profile.attributes.plan', op: 'eq', value: 'free' }, false],
  ['ne missing', { path: 'profile.attributes.plan', op: 'ne', value: 'free' }, true],
  ['ne same', { path: 'profile.attributes.tier', op: 'ne', value: 'gold' }, false],
  ['gt number', { path: 'event.properties.total', op: 'gt', value: 100 }, true],
  ['gte equal', { path: 'event.properties.total', op: 'gte', value: 120 }, true],
  ['lt number', { path: 'event.properties.total', op: 'lt', value: 120 }, false],
  ['lte string timestamps', { path: 'profile.attributes.since', op: 'lte', value: '2026-02-01T00:00:00Z' }, true],
  ['gt on a string with a number', { path: 'profile.attributes.tier', op: 'gt', value: 1 }, false],
  ['gt missing', { path: 'profile.attributes.nothing', op: 'gt', value: 1 }, false],
  ['in', { path: 'profile.attributes.tier', op: 'in', value: ['silver', 'gold'] }, true],
  ['in none', { path: 'profile.attributes.tier', op: 'in', value: ['silver', 3, null] }, false],
  ['contains with a literal *', { path: 'event.properties.sku', op: 'contains', value: '42*b' }, true],
  ['contains no', { path: 'event.properties.sku', op: 'contains', value: '42b' }, false],
  ['contains on a number', { path: 'event.properties.total', op: 'contains', value: '12' }, false],
  ['startsWith', { path: 'profile.attributes.email', op: 'startsWith', value: 'ada@' }, true],
  ['exists', { path: 'profile.attributes.optIn', op: 'exists' }, true],
  ['exists null', { path: 'event.properties.coupon', op: 'exists' }, false],
  ['exists false on missing', { path: 'profile.attributes.plan', op: 'exists', value: false }, true],
  ['path through an array', { path: 'event.properties.tags.first', op: 'exists' }, false],
  ['nested', { path: 'event.properties.nested.level', op: 'eq', value: 'x' }, true],
  ['path through a scalar', { path: 'profile.attributes.tier.name', op: 'exists' }, false],
  ['all', { all: [{ path: 'profile.attributes.visits', op: 'gte', value: 3 }, { path: 'event.properties.delayed', op: 'eq', value: true }] }, true],
  ['any', { any: [{ path: 'profile.attributes.visits', op: 'gt', value: 3 }, { path: 'journey.id', op: 'eq', value: 'test' }] }, true],
  ['not', { not: { path: 'profile.attributes.optIn', op: 'eq', value: false } }, false],
];

describe('predicates: in-process closures', () => {
  it.each(cases)('%s', (_name, predicate, expected) => {
    expect(compilePredicate(predicate)(scope)).toBe(expected);
  });

  it('never reads a prototype', () => {
    expect(compilePredicate({ path: 'profile.attributes.constructor', op: 'exists' })(scope)).toBe(false);
    expect(compilePredicate({ path: 'event.properties.toString', op: 'exists' })(scope)).toBe(false);
  });
});

describe('predicates: Choice states give the same answers', () => {
  // One state machine with a Choice per case, run on the same data in aws-local-stepfunctions.
  it('agrees with the closures on every case', async () => {
    const results: Record<string, boolean> = {};
    for (const [name, predicate] of cases) {
      const definition = compileJourney(
        journeyOf({ check: { type: 'condition', branches: [{ when: predicate, next: 'yes' }], otherwise: 'no' }, yes: { type: 'end' }, no: { type: 'end' } }),
      );
      const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
      const run = machine.run(scope as never);
      const states: string[] = [];
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') states.push(event.state.name);
      results[name] = states.includes('yes');
    }
    expect(results).toStrictEqual(Object.fromEntries(cases.map(([name, p]) => [name, compilePredicate(p)(scope)])));
  });
});

describe('wait until a timestamp in the data, run locally', () => {
  const run = async (properties: Record<string, unknown>) => {
    const definition = compileJourney(journeyOf({ pause: { type: 'wait', until: { path: 'event.properties.at' }, next: 'done' }, done: { type: 'end' } }));
    const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
    const execution = machine.run({ event: { properties } } as never, { overrides: { waitTimeOverrides: { 'pause.wait': 0 } } });
    const states: string[] = [];
    for await (const event of execution.eventLogs) if (event.type === 'StateEntered') states.push(event.state.name);
    return states;
  };
  it('waits when the value is a timestamp, goes straight on when it is missing or not one', async () => {
    expect(await run({ at: '2026-12-24T09:00:00Z' })).toStrictEqual(['pause', 'pause.wait', 'done']);
    expect(await run({})).toStrictEqual(['pause', 'done']);
    expect(await run({ at: 'tomorrow' })).toStrictEqual(['pause', 'done']);
    expect(await run({ at: 1766566800 })).toStrictEqual(['pause', 'done']);
  });
});
