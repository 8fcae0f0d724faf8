import { describe, expect, it } from 'vitest';
import { buildJourneyReport, campaignReport, metric, runEnded, runEntered, sendOutcome, stepEntered, stepLeft } from '../../functions/domain/reports';
import type { CounterChange, CounterRow } from '../../functions/ports';

const v1 = { id: 'welcome', version: 'aaaaaaaaaaaa' };
const v2 = { id: 'welcome', version: 'bbbbbbbbbbbb' };
const rows = (hour: string, changes: CounterChange[]): CounterRow[] => changes.map((c) => ({ hour: c.gauge ? 'ALL' : hour, key: c.key, n: c.by }));
const shape = { steps: ['hello', 'later', 'done'], waiting: new Set(['later']) };
const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

describe('journey reports', () => {
  it('sums hour buckets per step and version, keeps gauges as they are, and names skips and exits by reason', () => {
    const h = '2026-11-29T10:00Z';
    const data = [
      ...rows(h, [...runEntered(v1), ...runEntered(v1), ...runEntered(v2)]),
      ...rows(h, [...stepEntered(v1, 'hello', false), ...sendOutcome(v1, 'hello', 'sent'), ...stepEntered(v1, 'hello', false), ...sendOutcome(v1, 'hello', 'skipped', 'consent')]),
      ...rows(h, [...stepEntered(v2, 'hello', false), ...sendOutcome(v2, 'hello', 'sent')]),
      ...rows(h, [...stepEntered(v1, 'later', true), ...stepEntered(v2, 'later', true), ...stepLeft(v1, 'later'), ...stepEntered(v1, 'done', false)]),
      ...rows(h, [...runEnded(v1, 'SUCCEEDED', undefined), metric(v1, undefined, 'exited:customer.unsubscribed'), ...runEnded(v1, 'ABORTED', 'later'), metric(v1, undefined, 'goal')]),
      ...rows(h, [metric({ id: 'welcome' }, 'hello', 'email.delivered'), metric({ id: 'welcome' }, 'hello', 'email.opened'), metric({ id: 'welcome' }, 'hello', 'email.delivered')]),
    ];
    const report = buildJourneyReport('welcome', data, period, shape);
    expect(report.versions).toStrictEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
    expect(report.totals).toStrictEqual({ entered: 3, completed: 1, failed: 0, exited: { 'customer.unsubscribed': 1 }, stopped: 1, goal: 1, inFlight: 1, notEntered: {} });
    expect(report.steps).toStrictEqual({
      hello: { entered: 3, sent: 2, skipped: { consent: 1 }, feedback: { delivered: 2, opened: 1 } },
      later: { entered: 2, waiting: 0 }, // two in, one left, one stopped while waiting
      done: { entered: 1 },
    });
    // One version: its own counts, with the journey-wide ones that carry no version.
    const only = buildJourneyReport('welcome', data, { ...period, version: 'bbbbbbbbbbbb' }, shape);
    expect(only.steps.hello).toStrictEqual({ entered: 1, sent: 1, feedback: { delivered: 2, opened: 1 } });
    expect(only.totals.entered).toBe(1);
  });

  it('lists every step of the journey, counted or not', () => {
    expect(buildJourneyReport('welcome', [], period, shape).steps).toStrictEqual({ hello: { entered: 0 }, later: { entered: 0, waiting: 0 }, done: { entered: 0 } });
  });

  it('sums a campaign over its runs, with the feedback of its emails', () => {
    const runs: Array<{ targeted: number; sent: number; failed: number; skipped: Record<string, number> }> = [
      { targeted: 10, sent: 8, failed: 1, skipped: { consent: 1 } },
      { targeted: 5, sent: 5, failed: 0, skipped: {} },
    ];
    const feedback = rows('2026-11-29T10:00Z', [metric({ id: 'campaign-promo' }, 'message', 'email.delivered', 12), metric({ id: 'campaign-promo' }, 'message', 'email.bounced')]);
    expect(campaignReport('promo', runs, feedback).totals).toStrictEqual({ runs: 2, targeted: 15, sent: 13, skipped: { consent: 1 }, failed: 1, feedback: { delivered: 12, bounced: 1 } });
  });
});

describe('report shapes written by the journey stacks', () => {
  it('reads a journey\'s shape once per container, and asks again for one not deployed yet', async () => {
    const { mockClient } = await import('aws-sdk-client-mock');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { DynamoDbReportShapes } = await import('../../functions/adapters/dynamodb-report-shapes');
    const ddb = mockClient(DynamoDBDocumentClient);
    const shape = { steps: ['a'], waiting: [], outline: { title: 'T', entry: 'on x', notes: [], nodes: [], edges: [] } };
    ddb.on(GetCommand, { Key: { pk: 'RS#known', sk: 'SHAPE' } }).resolves({ Item: { shape: JSON.stringify(shape) } });
    ddb.on(GetCommand, { Key: { pk: 'RS#later', sk: 'SHAPE' } }).resolves({});
    const shapes = new DynamoDbReportShapes(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'profiles');
    expect(await shapes.get('known')).toStrictEqual(shape);
    expect(await shapes.get('known')).toStrictEqual(shape);
    expect(await shapes.get('later')).toBeUndefined();
    expect(await shapes.get('later')).toBeUndefined();
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key!.pk)).toStrictEqual(['RS#known', 'RS#later', 'RS#later']);
    ddb.restore();
  });
});

describe('waiting now, when an event both resumes a wait and exits the journey (card.activated)', () => {
  it('counts the profile out of the waiting step once: by the step\'s own count of its leaving, not again at the stop', async () => {
    const { endRun } = await import('../../functions/domain/runs');
    const journey = { id: 'card', version: 'v1' };
    const run = async (lastState: string) => {
      const counted: CounterChange[][] = [];
      const reports = { count: async (_key: string, _at: Date, changes: CounterChange[]) => void counted.push(changes) } as never;
      const executions = { lastState: async () => lastState } as never;
      const store = { end: async () => undefined } as never;
      const ended = { executionArn: 'arn:exec', status: 'ABORTED', input: JSON.stringify({ profileId: 'p', journey, run: { correlation: '-' } }) } as never;
      await endRun(ended, store, new Date(), async (id) => id, { reports, executions });
      return counted.flat().filter((c) => c.key.endsWith('|waiting')).reduce((n, c) => n + (c.by ?? 1), 0);
    };
    const entered = stepEntered(journey, 'activate', true).filter((c) => c.key.endsWith('|waiting'))[0]!.by!;
    const left = stepLeft(journey, 'activate')[0]!.by!;
    // The event resumed the wait first: the execution was in the count of its leaving when the exit stopped it.
    expect(entered + left + (await run('activate.left.done'))).toBe(0);
    // Stopped while still waiting: the stop counts it out.
    expect(entered + (await run('activate'))).toBe(0);
  });
});

describe('a campaign that enrols into a journey', () => {
  it('reports enrolled apart from sent: the journey\'s sends to its enrollees count for the run, a holdout sends nothing', async () => {
    const { campaignSendOutcome, journeySends } = await import('../../functions/domain/reports');
    const { runSummary } = await import('../../functions/domain/campaign-runs');
    const entry = (run: string) => ({ type: 'campaign.enrolled', properties: { campaign: 'save', run } });
    // 10 enrolled; the journey holds 2 out and sends to 7, one send fails; another run's send does not count.
    const changes = [...Array.from({ length: 7 }, () => campaignSendOutcome(entry('r1'), 'sent')), campaignSendOutcome(entry('r1'), 'failed'), campaignSendOutcome(entry('r2'), 'sent'), campaignSendOutcome({ type: 'order.paid' }, 'sent')].flat();
    const rows = [...changes.reduce((m, c) => m.set(c.key, (m.get(c.key) ?? 0) + (c.by ?? 1)), new Map<string, number>())].map(([key, n]) => ({ key, hour: '2026-11-30T01', n }) as CounterRow);
    const run = { campaignId: 'save', runId: 'r1', status: 'done', trigger: 'api', startedAt: 't', targeted: 10, slots: [] } as never;
    expect(runSummary(run, [{ part: 'p0', targeted: 10, enrolled: 10, sent: 0, skipped: {}, failed: 0 }], journeySends(rows, 'r1'))).toMatchObject({ targeted: 10, enrolled: 10, sent: 7, failed: 1 });
  });
});
