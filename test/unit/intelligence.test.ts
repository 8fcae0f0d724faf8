import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { CHOICE_SHARDS, DynamoDbOfferStats } from '../../functions/adapters/dynamodb-offer-counters';
import { HOURS_OF_WEEK, bestTime, engagementHours, hourOfWeek, isHeld, pattern, posterior } from '../../functions/domain/send-time';
import { auc, calibration, fit, predict, train, trainingRow } from '../../functions/domain/models';
import { choiceEngagement, chooseChannel, seededRandom, segmentTag } from '../../functions/domain/channel-choice';
import { learningSegment } from '../../functions/domain/beta-draw';
import { buildJourneyReport } from '../../functions/domain/reports';
import { modelSchema } from '../../statemachines/schema/model';
import { compileJourney, journeySchema } from '../../statemachines';
import { workspaceProblems, workspaceWith } from './helpers';

const NY = 'America/New_York';
/** Engagement events at 19:xx New York time on the `n` days before 2026-11-30. */
const eveningOpens = (n: number) => Array.from({ length: n }, (_, d) => ({ type: 'email.opened', timestamp: new Date(Date.UTC(2026, 10, 29 - d, 0, 10 + d)).toISOString() })); // 00:1x UTC = 19:1x EST

describe('send time', () => {
  it('counts engagement by hour of week on the profile clock', () => {
    // Monday 2026-11-30 00:30 UTC is Sunday 19:30 in New York.
    expect(hourOfWeek(new Date('2026-11-30T00:30:00Z'), NY)).toBe(6 * 24 + 19);
    expect(hourOfWeek(new Date('2026-11-30T00:30:00Z'), 'UTC')).toBe(0);
    const hours = engagementHours([...eveningOpens(3), { type: 'page.viewed', timestamp: '2026-11-29T12:00:00Z' }], NY);
    expect(hours.reduce((a, b) => a + b, 0)).toBe(3);
    expect(hours.filter((c) => c > 0).every((_, i, all) => all.length === 3)).toBe(true);
    expect([...hours.keys()].filter((h) => hours[h]! > 0).every((h) => h % 24 === 19)).toBe(true);
  });

  it("picks the person's evening hour within the window, the next day's when today's has passed", () => {
    const population = pattern([]);
    const own = engagementHours(eveningOpens(10), NY);
    // 10:00 in New York: 19:00 the same day.
    expect(bestTime({ now: new Date('2026-11-30T15:00:00Z'), withinSeconds: 86_400, timeZone: NY, own, population })).toStrictEqual({ at: '2026-12-01T00:00:00Z', group: 'best', hour: 19 }); // Monday 19:00
    // 21:00 in New York: 19:00 tomorrow.
    expect(bestTime({ now: new Date('2026-12-01T02:00:00Z'), withinSeconds: 86_400, timeZone: NY, own, population }).at).toBe('2026-12-02T00:00:00Z');
    // A window that does not reach the evening: the best hour inside it, never beyond.
    const short = bestTime({ now: new Date('2026-11-30T15:00:00Z'), withinSeconds: 3 * 3600, timeZone: NY, own, population });
    expect(Date.parse(short.at)).toBeLessThan(Date.parse('2026-11-30T18:00:00Z'));
  });

  it('with no history follows the population, and a little history is shrunk towards it', () => {
    const population = new Array<number>(HOURS_OF_WEEK).fill(0).map((_, h) => (h % 24 === 8 ? 10 : 1));
    const shares = pattern(population);
    const now = new Date('2026-11-30T00:00:00Z'); // Monday 00:00 UTC
    expect(bestTime({ now, withinSeconds: 86_400, timeZone: 'UTC', own: new Array(HOURS_OF_WEEK).fill(0), population: shares }).at).toBe('2026-11-30T08:00:00Z');
    // One open at 20:00 weighs less than the population's morning; ten outweigh it.
    const one = new Array<number>(HOURS_OF_WEEK).fill(0);
    one[20] = 1;
    expect(bestTime({ now, withinSeconds: 86_400, timeZone: 'UTC', own: one, population: shares }).at).toBe('2026-11-30T08:00:00Z');
    const ten = one.map((c) => c * 10);
    expect(bestTime({ now, withinSeconds: 86_400, timeZone: 'UTC', own: ten, population: shares }).at).toBe('2026-11-30T20:00:00Z');
    const p = posterior(ten, shares);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('holds out a stable share, sent at once', () => {
    const held = Array.from({ length: 2000 }, (_, i) => isHeld(`p-${i}`, 'j:s', 0.1)).filter(Boolean).length;
    expect(held).toBeGreaterThan(150);
    expect(held).toBeLessThan(250);
    expect(isHeld('p-1', 'j:s', 0.1)).toBe(isHeld('p-1', 'j:s', 0.1));
    const now = new Date('2026-11-30T15:00:00Z');
    expect(bestTime({ now, withinSeconds: 86_400, timeZone: NY, own: engagementHours(eveningOpens(5), NY), population: pattern([]), held: true })).toMatchObject({ at: '2026-11-30T15:00:00Z', group: 'held' });
  });
});

describe('propensity models', () => {
  const model = modelSchema.parse({ id: 'buy', goal: { event: 'order.completed', within: 'P30D' }, features: [{ count: 'product.viewed', within: 'P30D' }, { recency: 'product.viewed' }, { attribute: 'plan', equals: 'pro' }] });

  it('reads features before the cutoff and the label after it (no look-ahead)', () => {
    const trainedAt = Date.parse('2026-11-30T00:00:00Z'); // cutoff 2026-10-31
    const history = [
      { type: 'product.viewed', timestamp: '2026-10-20T00:00:00Z' },
      { type: 'product.viewed', timestamp: '2026-10-30T00:00:00Z' },
      { type: 'product.viewed', timestamp: '2026-11-10T00:00:00Z' }, // after the cutoff: not a feature
      { type: 'order.completed', timestamp: '2026-11-15T00:00:00Z' },
    ];
    const row = trainingRow(model, { attributes: { plan: 'pro' } }, history, trainedAt);
    expect(row.y).toBe(1);
    expect(row.x[0]).toBeCloseTo(Math.log1p(2), 10);
    expect(row.x[1]).toBeCloseTo(1, 10); // one day before the cutoff
    expect(row.x[2]).toBe(1);
    expect(trainingRow(model, { attributes: {} }, history.slice(0, 2), trainedAt)).toMatchObject({ y: 0, x: [Math.log1p(2), 1, 0] });
  });

  it('fits a logistic truth, measures AUC and calibration on held-out rows', () => {
    const random = seededRandom('fit');
    const rows = Array.from({ length: 3000 }, () => {
      const x = [random() * 3, random() * 2];
      const y = random() < 1 / (1 + Math.exp(-(-1 + 1.5 * x[0]! - x[1]!))) ? 1 : 0;
      return { x, y, heldOut: random() < 0.25 };
    });
    const trained = train({ ...model, features: model.features.slice(0, 2) }, rows, Date.parse('2026-11-30T00:00:00Z'));
    const held = rows.filter((r) => r.heldOut);
    const truth = auc(held.map((r) => -1 + 1.5 * r.x[0]! - r.x[1]!), held.map((r) => r.y))!;
    expect(trained.auc).toBeGreaterThan(truth - 0.02);
    // Coefficients on standardised features: the signs and ratio of the truth.
    expect(trained.coefficients[1]).toBeGreaterThan(0);
    expect(trained.coefficients[2]).toBeLessThan(0);
    expect(trained.calibration.reduce((n, b) => n + b.count, 0)).toBe(held.length);
    for (const b of trained.calibration.filter((c) => c.count > 50)) expect(Math.abs(b.predicted - b.observed)).toBeLessThan(0.15);
    expect(trained.rows).toStrictEqual({ training: rows.length - held.length, heldOut: held.length, positives: rows.filter((r) => r.y === 1).length });
    expect(JSON.stringify(trained)).not.toMatch(/profile|attributes/);
  });

  it('AUC counts ties as half, and is undefined with one label', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.2, 0.3], [1, 1])).toBeNull();
    expect(calibration([0.05, 0.15, 0.12], [0, 1, 0])).toStrictEqual([
      { bucket: 0, count: 1, predicted: 0.05, observed: 0 },
      { bucket: 1, count: 2, predicted: 0.135, observed: 0.5 },
    ]);
    const flat = fit([{ x: [1], y: 1 }, { x: [1], y: 0 }]);
    expect(predict(flat, [1])).toBeCloseTo(0.5, 3);
  });

  it('model files name their mistakes; predicates must name a known model', () => {
    const root = workspaceWith({
      models: {
        buy_30d: { id: 'buy_30d', goal: { event: 'order.completed', within: 'P1Y' }, features: [] },
        other: { id: 'else', goal: { event: 'x', within: 'P7D' }, features: [{ count: 'y' }] },
        engagement: { id: 'engagement', goal: { event: 'x', within: 'P7D' }, features: [{ attribute: 'age' }] },
      },
      audiences: { keen: { id: 'keen', where: { path: 'profile.scores.buy_3Od', op: 'gte', value: 0.5 } } },
    });
    expect(workspaceProblems(root)).toStrictEqual([
      'models/buy_30d.json $.goal.within invalid-field: "P1Y" is not an ISO 8601 duration such as P3D, PT2H or P1DT12H (years and months are not allowed: use days)',
      'models/buy_30d.json $.features invalid-field: Too small: expected array to have >=1 items',
      'models/other.json $.features[0] invalid-field: a feature is { "count": <event>, "within": <duration> }, { "recency": <event> }, { "attribute": <name> } or { "attribute": <name>, "equals": <value> }',
      'models/engagement.json $.id invalid-field: "engagement" is the send-time learning job\'s name: choose another id',
      'audiences/keen.json $.where.path unknown-model: no model "buy_3Od" in models/',
    ]);
  });
});

describe('channel choice', () => {
  it('never picks an ineligible channel, learns the better one, still explores', () => {
    const stats = new Map([
      ['push', { sent: 1000, engaged: 300 }],
      ['email', { sent: 1000, engaged: 100 }],
    ]);
    const picks = Array.from({ length: 400 }, (_, i) => chooseChannel(['push', 'email'], stats, seededRandom(`k-${i}`))!.channel);
    const push = picks.filter((c) => c === 'push').length;
    expect(push).toBeGreaterThan(340); // exploitation, less the 10% exploration's half
    expect(push).toBeLessThan(400); // exploration still sends some email
    expect(Array.from({ length: 100 }, (_, i) => chooseChannel(['email'], stats, seededRandom(`k-${i}`))!.channel).every((c) => c === 'email')).toBe(true);
    expect(chooseChannel([], stats, seededRandom('k'))).toBeUndefined();
    // The same key chooses the same channel.
    expect(chooseChannel(['push', 'email'], stats, seededRandom('again'))).toStrictEqual(chooseChannel(['push', 'email'], stats, seededRandom('again')));
  });

  it("spreads a step's counts over shards, and reads them summed", async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: { t: [{ pk: 'O#choice:j:s:email#3', sk: 'STATS#*', displays: 5, clicks: 1 }, { pk: 'O#choice:j:s:email#7', sk: 'STATS#*', displays: 4, clicks: 2 }, { pk: 'O#rain-jacket', sk: 'STATS#*', displays: 9, clicks: 3 }] } });
    const store = new DynamoDbOfferStats(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 't');
    const read = await store.read(['choice:j:s:email', 'rain-jacket'], '*');
    expect(read.get('choice:j:s:email')).toStrictEqual({ displays: 9, clicks: 3, conversions: 0 });
    expect(read.get('rain-jacket')).toMatchObject({ displays: 9, clicks: 3 });
    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.t!.Keys).toHaveLength(CHOICE_SHARDS + 1);
    // A send lands on one shard, its marker beside its counter; the same send always on the same one.
    await store.record('run-1#s#1', 'choice:j:s:email', 'displays', ['*']);
    await store.record('run-1#s#1', 'choice:j:s:email', 'displays', ['*']);
    const [first, second] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!.map((t) => (t.Put?.Item ?? t.Update?.Key)!.pk));
    expect(first![0]).toMatch(/^O#choice:j:s:email#\d$/);
    expect(new Set([...first!, ...second!]).size).toBe(1);
    ddb.restore();
  });

  it('learns per segment, and counts an engagement once per message', () => {
    expect(learningSegment(['vip', 'app-users'], { 'app-users': 't' })).toBe('app-users');
    expect(learningSegment(['vip'], {})).toBe('*');
    // Everyone's segment travels as `@all` (SES tag values cannot hold `*`).
    expect(segmentTag('*')).toBe('@all');
    expect(segmentTag('app-users')).toBe('app-users');
    const event = { id: 'e1', type: 'email.opened', properties: { journey: 'tips', step: 'tip', groups: 'channel.email', learn: '@all', messageId: 'm-1' } };
    expect(choiceEngagement(event, 'opened')).toStrictEqual({ once: 'engaged:m-1', arm: 'choice:tips:tip:email', segment: '*' });
    expect(choiceEngagement({ ...event, id: 'e2', type: 'email.clicked' }, 'clicked')!.once).toBe('engaged:m-1');
    expect(choiceEngagement(event, 'delivered')).toBeUndefined();
    expect(choiceEngagement({ ...event, properties: { ...event.properties, groups: 'timing.best' } }, 'opened')).toBeUndefined();
  });
});

describe('message steps that learn', () => {
  const journey = (step: Record<string, unknown>) => journeySchema.parse({ id: 'j', name: 'J', entry: { event: 'go' }, start: 's', steps: { s: { ...step, next: 'done' }, done: { type: 'end' } } });

  it('compile sendTime to a best-time task, a skip-or-wait, then the send, which tags its group', () => {
    const asl = compileJourney(journey({ type: 'email', template: 't', sendTime: 'best', within: 'PT12H', holdout: 0.1 }), { execution: 'standard' });
    const names = Object.keys(asl.States);
    expect(names.slice(0, 4)).toStrictEqual(['s.best', 's.best?', 's.best.wait', 's']);
    expect(asl.States['s.best']).toMatchObject({ Parameters: { Payload: { operation: 'bestTime', withinSeconds: 43_200, holdout: 0.1, stepId: 's' } }, ResultPath: '$.timing.s', Next: 's.best?' });
    expect(asl.States['s.best.wait']).toMatchObject({ Type: 'Wait', TimestampPath: '$.timing.s.at', Next: 's' });
    expect(asl.States.s).toMatchObject({ Parameters: { Payload: { 'timing.$': '$.timing.s.group' } } });
  });

  it('compile a channel choice to one send task with its options', () => {
    const asl = compileJourney(journey({ type: 'message', choose: 'best', channels: [{ channel: 'push', template: 'p' }, { channel: 'email', template: 'e' }], learnBy: ['vip'] }), { execution: 'standard' });
    expect(asl.States.s).toMatchObject({
      Parameters: { Payload: { channel: 'push', template: 'p', choices: [{ channel: 'push', template: 'p' }, { channel: 'email', template: 'e' }], learnBy: ['vip'] } },
      ResultSelector: { 'channel.$': '$.Payload.channel' },
    });
  });

  it('refuse options that do not fit, with their paths', () => {
    const root = workspaceWith({
      templates: { e: { channel: 'email', subject: 's', text: 't' }, p: { channel: 'push', title: 't', body: 'b' } },
      campaigns: {
        c1: { id: 'c1', message: { channel: 'email', template: 'e' }, trigger: 'api', within: 'PT6H', sendTimeHoldout: 0.1 },
        c2: { id: 'c2', message: { channel: 'email', template: 'e' }, trigger: 'api', sendTime: 'best', localTime: '09:00' },
      },
      journeys: {
        j: {
          id: 'j',
          name: 'J',
          entry: { event: 'go' },
          start: 'a',
          steps: {
            a: { type: 'email', template: 'e', within: 'PT2H', next: 'b' },
            b: { type: 'message', choose: 'best', channels: [{ channel: 'push', template: 'e' }, { channel: 'email', template: 'e' }], sendTime: 'best', within: 'P8D', next: 'c' },
            c: { type: 'message', choose: 'best', channels: [{ channel: 'email', template: 'e' }, { channel: 'email', template: 'e' }], next: 'done' },
            done: { type: 'end' },
          },
        },
      },
    });
    expect(workspaceProblems(root)).toStrictEqual([
      'journeys/j.json $.steps.a.within invalid-field: within goes with "sendTime": "best"',
      'journeys/j.json $.steps.b.within invalid-field: must be a duration from PT1H to P7D, such as PT24H',
      'journeys/j.json $.steps.c.channels invalid-field: each channel at most once',
      'campaigns/c1.json $.within invalid-field: within goes with "sendTime": "best"',
      'campaigns/c1.json $.sendTimeHoldout invalid-field: sendTimeHoldout goes with "sendTime": "best"',
      'campaigns/c2.json $.sendTime invalid-field: give sendTime or localTime, not both',
    ]);
  });

  it('report each group of a step apart: sends and feedback', () => {
    const row = (name: string, n: number) => ({ key: `v1|s|${name}`, hour: '2026113000', n });
    const report = buildJourneyReport('j', [row('sent', 10), row('group:timing.best:sent', 9), row('group:timing.held:sent', 1), row('group:timing.best:email.opened', 4), row('email.opened', 4)], { from: new Date(0), to: new Date() }, { steps: ['s'], waiting: new Set() });
    expect(report.steps.s!.groups).toStrictEqual({ 'timing.best': { sent: 9, feedback: { opened: 4 } }, 'timing.held': { sent: 1, feedback: {} } });
  });
});
