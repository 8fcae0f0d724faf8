import { describe, expect, it } from 'vitest';
import { entryRule, journeySchema, jumpRule, validateJourney, type JourneyIssue } from '../../statemachines';
import { workspaceProblems, workspaceWith } from './helpers';

const templates = new Map([
  ['survey', 'email'],
  ['apology', 'email'],
  ['nudge', 'push'],
]);
const base = {
  id: 'post-purchase',
  name: 'Post-purchase survey',
  entry: { event: 'order.delivered' },
  start: 'check',
  steps: {
    check: { type: 'condition', branches: [{ when: { path: 'event.properties.delayed', op: 'eq', value: true }, next: 'sorry' }], otherwise: 'survey' },
    survey: { type: 'email', template: 'survey', next: 'pause' },
    pause: { type: 'wait', for: 'P3D', next: 'done' },
    sorry: { type: 'email', template: 'apology', next: 'done' },
    done: { type: 'end' },
  },
};

function issuesOf(journey: unknown): JourneyIssue[] {
  const result = validateJourney(journey, { templates, actions: new Set(['points']), decisions: new Set(['apology-offers']) });
  return result.ok ? [] : result.issues;
}
const withSteps = (steps: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...base, ...extra, steps: { ...base.steps, ...steps } });

describe('validateJourney', () => {
  it('says a field left out is required, naming its type', () => {
    const { template: _left, ...noTemplate } = base.steps.survey;
    expect(issuesOf(withSteps({ survey: noTemplate }, { name: undefined }))).toStrictEqual([
      { code: 'invalid-field', path: '$.name', message: 'required (string)' },
      { code: 'invalid-field', path: '$.steps.survey.template', message: 'required (string)' },
    ]);
  });

  it('suggests the name meant: a step id, a template, an action, a decision, a field', () => {
    const messages = issuesOf(
      withSteps({
        check: { ...base.steps.check, otherwise: 'survy' },
        sorry: { type: 'email', template: 'apolgy', next: 'done' },
        pay: { type: 'webhook', action: 'pionts', next: 'done' },
        offer: { type: 'decide', decision: 'apology-offer', next: 'done' },
        pause: { type: 'wait', fr: 'P3D', next: 'done' },
      }),
    ).map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.steps\.check\.otherwise: "survy" is not a step \(did you mean "survey"\?\)/),
        '$.steps.sorry.template: no template "apolgy" in the workspace (did you mean "apology"?) (expected templates/apolgy.json)',
        '$.steps.pay.action: no action "pionts" in the workspace (did you mean "points"?) (expected actions/pionts.json)',
        '$.steps.offer.decision: no decision "apology-offer" in the workspace (did you mean "apology-offers"?) (expected decisions/apology-offer.json)',
        expect.stringMatching(/^\$\.steps\.pause: .*"fr".* \(did you mean "for"\?\)/),
      ]),
    );
    // Nothing close: no guess.
    expect(issuesOf(withSteps({ sorry: { type: 'email', template: 'xyzzy', next: 'done' } }))[0]!.message).toBe('no template "xyzzy" in the workspace (expected templates/xyzzy.json)');
  });

  it('accepts the journey of the issue', () => {
    expect(validateJourney(base, { templates })).toMatchObject({ ok: true, journey: { id: 'post-purchase' } });
  });

  it('unknown-step: a reference to no step', () => {
    expect(issuesOf(withSteps({ survey: { type: 'email', template: 'survey', next: 'paws' } }))).toStrictEqual([
      { code: 'unknown-step', path: '$.steps.survey.next', message: '"paws" is not a step; steps are: check, survey, pause, sorry, done' },
    ]);
  });

  it('unknown-step: a start that is no step', () => {
    expect(issuesOf({ ...base, start: 'begin' })).toMatchObject([{ code: 'unknown-step', path: '$.start' }]);
  });

  it('unreachable-step: a step no path leads to', () => {
    expect(issuesOf(withSteps({ orphan: { type: 'end' } }))).toStrictEqual([
      { code: 'unreachable-step', path: '$.steps.orphan', message: 'no path from start "check" leads to "orphan": link it from another step or remove it' },
    ]);
  });

  it('missing-template: an email whose template the workspace lacks', () => {
    expect(issuesOf(withSteps({ sorry: { type: 'email', template: 'sorry-note', next: 'done' } }))).toMatchObject([
      { code: 'missing-template', path: '$.steps.sorry.template' },
    ]);
  });

  it('missing-template: a template made for another channel', () => {
    expect(issuesOf(withSteps({ sorry: { type: 'email', template: 'nudge', next: 'done' } }))).toStrictEqual([
      { code: 'missing-template', path: '$.steps.sorry.template', message: 'template "nudge" is for push, and this step sends email' },
    ]);
  });

  it('missing-action: a webhook whose action the workspace lacks', () => {
    expect(issuesOf(withSteps({ sorry: { type: 'webhook', action: 'refund', next: 'done' } }))).toStrictEqual([
      { code: 'missing-action', path: '$.steps.sorry.action', message: 'no action "refund" in the workspace (expected actions/refund.json)' },
    ]);
    expect(issuesOf(withSteps({ sorry: { type: 'webhook', action: 'points', next: 'done' } }))).toStrictEqual([]);
  });

  it('missing-decision: a decide step whose decision the workspace lacks', () => {
    expect(issuesOf(withSteps({ sorry: { type: 'decide', decision: 'gifts', next: 'done' } }))).toStrictEqual([
      { code: 'missing-decision', path: '$.steps.sorry.decision', message: 'no decision "gifts" in the workspace (expected decisions/gifts.json)' },
    ]);
    expect(issuesOf(withSteps({ sorry: { type: 'decide', decision: 'apology-offers', next: 'done' } }))).toStrictEqual([]);
  });

  it('cycle-without-wait: a loop where no time passes', () => {
    const issues = issuesOf(withSteps({ sorry: { type: 'email', template: 'apology', next: 'check' } }));
    expect(issues).toStrictEqual([
      { code: 'cycle-without-wait', path: '$.steps.check', message: 'steps check -> sorry form a loop with no wait step: add a wait inside the loop' },
    ]);
  });

  it('a loop through a wait is allowed', () => {
    expect(issuesOf(withSteps({ pause: { type: 'wait', for: 'P3D', next: 'check' } }))).toStrictEqual([]);
  });

  it.each([
    ['3 days', '$.steps.pause.for', 'is not an ISO 8601 duration'],
    ['P1M', '$.steps.pause.for', 'years and months are not allowed'],
    ['PT0S', '$.steps.pause.for', 'is zero'],
    ['P400D', '$.steps.pause.for', 'longer than one year'],
  ])('bad-duration: %s', (value, path, message) => {
    const [issue] = issuesOf(withSteps({ pause: { type: 'wait', for: value, next: 'done' } }));
    expect(issue).toMatchObject({ code: 'bad-duration', path });
    expect(issue!.message).toContain(message);
  });

  it('bad-duration: until must be a timestamp with a zone, and a wait needs exactly one of for/until', () => {
    expect(issuesOf(withSteps({ pause: { type: 'wait', until: '2026-12-24 09:00', next: 'done' } }))).toMatchObject([{ code: 'bad-duration', path: '$.steps.pause.until' }]);
    expect(issuesOf(withSteps({ pause: { type: 'wait', next: 'done' } }))).toMatchObject([{ code: 'bad-duration', path: '$.steps.pause' }]);
  });

  it('invalid-field: shape errors name the field, deep inside predicates too', () => {
    const issues = issuesOf({
      ...base,
      id: 'Post Purchase',
      steps: {
        ...base.steps,
        check: { type: 'condition', branches: [{ when: { all: [{ path: 'order.total', op: 'gt', value: 1 }, { path: 'event.x', op: 'near' }] }, next: 'sorry' }], otherwise: 'survey' },
        survey: { type: 'fax', next: 'pause' },
      },
    });
    expect(issues.map((i) => [i.code, i.path])).toStrictEqual([
      ['invalid-field', '$.id'],
      ['invalid-field', '$.steps.check.branches[0].when.all[0].path'],
      ['invalid-field', '$.steps.check.branches[0].when.all[1].op'],
      ['invalid-field', '$.steps.survey.type'],
    ]);
  });

  it('invalid-field: the reserved path segment "length"', () => {
    const issues = issuesOf(withSteps({ check: { type: 'condition', branches: [{ when: { path: 'event.properties.items.length', op: 'gt', value: 2 }, next: 'sorry' }], otherwise: 'survey' } }));
    expect(issues).toMatchObject([{ code: 'invalid-field', path: '$.steps.check.branches[0].when.path', message: expect.stringContaining('reserved') }]);
  });

  it('bad-duration: the timeout of a waitForEvent', () => {
    const issues = issuesOf(withSteps({ pause: { type: 'waitForEvent', event: 'order.placed', timeout: '2 days', onTimeout: 'done', next: 'done' } }));
    expect(issues).toMatchObject([{ code: 'bad-duration', path: '$.steps.pause.timeout' }]);
  });

  it('invalid-field: updateProfile needs an operation, and changes an attribute once', () => {
    const update = (step: Record<string, unknown>) => issuesOf(withSteps({ survey: { type: 'updateProfile', next: 'pause', ...step } })).map((i) => [i.path, i.message]);
    expect(update({})).toStrictEqual([['$.steps.survey', 'an updateProfile step needs at least one of set, increment or unset']]);
    expect(update({ set: { tier: 'gold' }, unset: ['tier'] })).toStrictEqual([['$.steps.survey', 'an attribute is changed once per step: tier']]);
    expect(update({ set: { 'first-name': 'x' } })[0]![0]).toBe('$.steps.survey.set["first-name"]');
  });

  it('atLocalTime: HH:MM, days only with it, and one kind of wait at a time', () => {
    const wait = (step: Record<string, unknown>) => issuesOf(withSteps({ pause: { type: 'wait', next: 'done', ...step } })).map((i) => `${i.path} ${i.code}`);
    expect(wait({ atLocalTime: '09:00', days: ['mon'] })).toStrictEqual([]);
    expect(wait({ atLocalTime: '9am' })).toStrictEqual(['$.steps.pause.atLocalTime invalid-field']);
    expect(wait({ for: 'P1D', days: ['mon'] })).toStrictEqual(['$.steps.pause.days invalid-field']);
    expect(wait({ for: 'P1D', atLocalTime: '09:00' })).toStrictEqual(['$.steps.pause bad-duration']);
  });

  it('wait until: a literal timestamp or a data path, nothing else', () => {
    expect(issuesOf(withSteps({ pause: { type: 'wait', until: { path: 'event.properties.deliveryDate' }, next: 'done' } }))).toStrictEqual([]);
    expect(issuesOf(withSteps({ pause: { type: 'wait', until: { path: 'order.date' }, next: 'done' } }))).toMatchObject([{ code: 'invalid-field', path: '$.steps.pause.until.path' }]);
  });

  it('invalid-field: a split path needs next or holdout, at most one holdout, whole positive weights', () => {
    const split = (paths: unknown[]) => issuesOf(withSteps({ check: { type: 'split', paths } })).map((i) => [i.path, i.message]);
    expect(split([{ weight: 1, next: 'sorry' }, { weight: 1, next: 'survey', holdout: true }])).toStrictEqual([['$.steps.check.paths[1]', 'a path has either "next" or "holdout": true']]);
    expect(split([{ weight: 1, holdout: true }, { weight: 1, holdout: true }, { weight: 1, next: 'sorry' }, { weight: 1, next: 'survey' }])).toStrictEqual([['$.steps.check.paths', 'a split has at most one holdout path']]);
    expect(split([{ weight: 0.5, next: 'sorry' }, { weight: 0, next: 'survey' }]).map(([p]) => p)).toStrictEqual(['$.steps.check.paths[0].weight', '$.steps.check.paths[1].weight']);
  });

  it('reports three mistakes at once, each with its JSON path', () => {
    const issues = issuesOf(
      withSteps({
        check: { type: 'condition', branches: [{ when: { path: 'event.properties.delayed', op: 'eq', value: true }, next: 'sorry' }], otherwise: 'surveys' },
        survey: { type: 'email', template: 'surveys', next: 'pause' },
        sorry: { type: 'email', template: 'apology', next: 'done' },
        pause: { type: 'wait', for: '3d', next: 'done' },
      }),
    );
    expect(issues.map((i) => `${i.path} ${i.code}`)).toStrictEqual([
      '$.steps.check.otherwise unknown-step',
      '$.steps.survey.template missing-template',
      '$.steps.pause.for bad-duration',
    ]);
  });

  it('a broken step does not cause a second, spurious error in the steps that point to it', () => {
    const issues = issuesOf(withSteps({ sorry: { type: 'email', next: 'done' } }));
    expect(issues).toMatchObject([{ code: 'invalid-field', path: '$.steps.sorry.template' }]);
  });
});

describe('a workspace whose referenced file has mistakes', () => {
  it('reports the mistakes on that file, and does not tell the journey the action, template or decision is missing', () => {
    const root = workspaceWith({
      journeys: {
        j: {
          id: 'j',
          name: 'J',
          entry: { event: 'e' },
          start: 'call',
          steps: { call: { type: 'webhook', action: 'refund', next: 'mail' }, mail: { type: 'email', template: 'hello', next: 'done' }, done: { type: 'end' } },
        },
      },
      actions: { refund: { url: 'http://api.example.com/refund' } },
      templates: { hello: { channel: 'email', subject: 'Hi' } },
    });
    const problems = workspaceProblems(root);
    expect(problems.some((p) => p.startsWith('actions/refund.json $.url invalid-field'))).toBe(true);
    expect(problems.some((p) => p.startsWith('templates/hello.json'))).toBe(true);
    expect(problems.filter((p) => p.startsWith('journeys/'))).toStrictEqual([]);
  });
});

describe('a journey with no entry event of its own', () => {
  const journey = (id: string, entry: Record<string, unknown>, steps: Record<string, unknown> = { hello: { type: 'email', template: 'hello', next: 'done' }, done: { type: 'end' } }) => ({ id, name: id, entry, start: Object.keys(steps)[0], steps });
  const hello = { channel: 'email', subject: 'Hi', html: '<p>Hi</p>' };

  it('is entered by a jump step or a campaign; if nothing names it, the workspace says so', () => {
    const alone = workspaceWith({ journeys: { follow: journey('follow', {}) }, templates: { hello } });
    expect(workspaceProblems(alone)).toStrictEqual(['journeys/follow.json $.entry.event unreachable-journey: nothing enters this journey: give it an entry event, or name it in a jump step or a campaign (journey)']);
    const jumped = workspaceWith({
      journeys: { follow: journey('follow', {}), first: journey('first', { event: 'signed.up' }, { go: { type: 'jump', journey: 'follow' } }) },
      templates: { hello },
    });
    expect(workspaceProblems(jumped)).toStrictEqual([]);
  });

  it('has no entry rule (the jump rule enters it); an entry condition without an entry event is refused', () => {
    expect(entryRule(journeySchema.parse(journey('follow', {})), 'v1')).toBeUndefined();
    expect(jumpRule(journeySchema.parse(journey('follow', {})), 'v1').target).toStrictEqual({ journey: { id: 'follow', version: 'v1' }, execution: 'express' });
    const issues = validateJourney(journey('follow', { when: { path: 'profile.attributes.vip', op: 'eq', value: true } }));
    expect(issues.ok ? [] : issues.issues.map((i) => `${i.path}: ${i.message}`)).toStrictEqual(['$.entry.when: an entry condition needs an entry event (jumps and campaigns enter without one)']);
  });
});
