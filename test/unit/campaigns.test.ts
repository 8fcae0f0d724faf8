import { afterEach, describe, expect, it } from 'vitest';
import { pacer } from '../../functions/domain/pacer';
import { slotOf } from '../../functions/domain/campaigns';
import { CampaignScheduler } from '../../local/scheduler';
import { loadWorkspace } from '../../workspace/load';
import { schedulerExpression } from '../../statemachines';
import { workspaceProblems, workspaceWith } from './helpers';

const workspace = (campaigns: Record<string, unknown>) =>
  workspaceWith({
    templates: { promo: { channel: 'email', subject: 's', text: 't' } },
    audiences: { all: { id: 'all', where: { path: 'profile.id', op: 'exists' } } },
    campaigns,
  });
const problems = workspaceProblems;

describe('campaign files', () => {
  it('name every mistake with its JSON path', () => {
    const root = workspace({
      a: { id: 'a', audience: 'all', message: { channel: 'email', template: 'promo' }, journey: 'x', trigger: 'api' },
      b: { id: 'b', audience: 'all', message: { channel: 'email', template: 'promo' } },
      c: { id: 'c', audience: 'all', message: { channel: 'email', template: 'promo' }, schedule: { cron: '0 9 * *', timeZone: 'Mars/Olympus' } },
      d: { id: 'd', audience: 'ghosts', message: { channel: 'sms', template: 'promo' }, trigger: 'api' },
      e: { id: 'e', message: { channel: 'email', template: 'promo' }, schedule: { rate: '7 days' } },
      f: { id: 'f', audience: 'all', journey: 'nowhere', trigger: 'api', localTime: '9am' },
    });
    expect(problems(root)).toStrictEqual([
      'campaigns/a.json $.message invalid-field: a campaign has exactly one of message (a channel and a template), treatments or journey',
      'campaigns/b.json $.schedule invalid-field: a campaign has exactly one of schedule or "trigger": "api"',
      'campaigns/c.json $.schedule.cron invalid-field: must be a 5-field cron expression: minute hour day-of-month month day-of-week, such as "0 9 * * MON"',
      'campaigns/c.json $.schedule.timeZone invalid-field: must be an IANA time zone, such as Europe/Paris',
      'campaigns/e.json $.audience invalid-field: a scheduled campaign needs an audience (or where)',
      'campaigns/f.json $.localTime invalid-field: must be HH:MM, 24-hour',
      'campaigns/d.json $.audience unknown-audience: no audience "ghosts"; audiences are: all',
      'campaigns/d.json $.message.template missing-template: template "promo" is a email template, not sms',
    ]);
  });

  it('refuse a cron with both a day of the month and a day of the week, which AWS and the local scheduler would read apart', () => {
    const root = workspace({
      first: { id: 'first', audience: 'all', message: { channel: 'email', template: 'promo' }, schedule: { cron: '0 9 1-7 * 1' } },
      monday: { id: 'monday', audience: 'all', message: { channel: 'email', template: 'promo' }, schedule: { cron: '0 9 * * MON' } },
      monthly: { id: 'monthly', audience: 'all', message: { channel: 'email', template: 'promo' }, schedule: { cron: '0 9 1 * ?' } },
    });
    expect(problems(root)).toStrictEqual([
      'campaigns/first.json $.schedule.cron invalid-field: cannot set both day-of-month and day-of-week (EventBridge Scheduler runs one or the other): put * in one of them, such as "0 9 1 * *" or "0 9 * * MON"',
    ]);
    expect(schedulerExpression({ cron: '0 9 * * MON', timeZone: 'UTC' })).toBe('cron(0 9 ? * MON *)');
    expect(schedulerExpression({ cron: '0 9 1 * ?', timeZone: 'UTC' })).toBe('cron(0 9 1 * ? *)');
  });
});

describe('the local scheduler', () => {
  let scheduler: CampaignScheduler | undefined;
  afterEach(() => scheduler?.stop());

  it('fires a cron campaign in its time zone, with a run id from the fire time', async () => {
    const started: string[] = [];
    scheduler = new CampaignScheduler(async (_, runId) => void started.push(runId));
    scheduler.set(loadWorkspace('examples/store').campaigns);
    const next = scheduler.nextRun('last-week-survey')!;
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(next);
    expect(paris).toBe('Mon 10:00');
    expect(await scheduler.fire('last-week-survey', new Date('2026-11-30T09:00:00Z'))).toBe('last-week-survey-202611300900');
    expect(started).toStrictEqual(['last-week-survey-202611300900']);
  });
});

describe('the pacer', () => {
  it('spaces calls at the rate, the first one included', async () => {
    let clock = 0;
    const slept: number[] = [];
    const wait = pacer(20, async (ms) => {
      slept.push(ms);
      clock += ms;
    }, () => clock);
    for (let i = 0; i < 5; i += 1) await wait();
    expect(slept).toStrictEqual([50, 50, 50, 50, 50]);
    expect(clock).toBe(250);
  });
});

describe('campaign parts', () => {
  it('hold what a batch sends in four minutes at its pace, at most a page', async () => {
    const { partSize } = await import('../../functions/domain/campaigns');
    expect(partSize(1, 500)).toBe(240);
    expect(partSize(20, 500)).toBe(500);
    expect(partSize(10_000, 500)).toBe(500);
    expect(partSize(0.1, 500)).toBe(24);
  });
});

describe('local send times', () => {
  const at = new Date('2026-11-22T20:00:00Z'); // a Sunday, 20:00 UTC
  const slot = (c: Parameters<typeof slotOf>[0], timeZone: string) => new Date(slotOf(c, { attributes: { timeZone } }, at)).toISOString();
  it('localDays: the next such day at that time where the recipient is', () => {
    const monday = { localTime: '18:00', localDays: ['mon' as const] };
    expect(['Pacific/Kiritimati', 'Asia/Tokyo', 'Europe/Paris', 'Pacific/Honolulu'].map((z) => slot(monday, z))).toStrictEqual(['2026-11-23T04:00:00.000Z', '2026-11-23T09:00:00.000Z', '2026-11-23T17:00:00.000Z', '2026-11-24T04:00:00.000Z']);
  });
  it('localDate: that date at that time where the recipient is; a date already past there goes at once', () => {
    const christmas = { localTime: '09:00', localDate: '2026-12-24' };
    expect(['Pacific/Kiritimati', 'Europe/Paris', 'Pacific/Honolulu'].map((z) => slot(christmas, z))).toStrictEqual(['2026-12-23T19:00:00.000Z', '2026-12-24T08:00:00.000Z', '2026-12-24T19:00:00.000Z']);
    expect(slot({ localTime: '09:00', localDate: '2026-11-01' }, 'Europe/Paris')).toBe('2026-11-22T20:00:00.000Z');
  });
});
