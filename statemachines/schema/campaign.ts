import * as z from 'zod';
import { channelSchema } from './template';
import { eventType, journeyId, templateName } from './ids';
import { audienceId, audiencePredicateSchema } from './audience';
import { parseDuration } from './duration';
import { sendWindow } from './send-window';
import { predicateSchema } from './predicate';

// Campaigns (campaigns/<id>.json): a message (or a journey to enrol in) for an audience, sent on a schedule or
// when the API is called.

export const campaignId = journeyId;

const CRON_FIELD = /^[0-9A-Za-z*?,/\-#LW]+$/;
/** Standard 5-field cron: minute hour day-of-month month day-of-week (0 or 7 is Sunday; names allowed). */
export const cronSchema = z
  .string()
  .refine((c) => {
    const f = c.trim().split(/\s+/);
    return f.length === 5 && f.every((x) => CRON_FIELD.test(x));
  }, 'must be a 5-field cron expression: minute hour day-of-month month day-of-week, such as "0 9 * * MON"')
  // EventBridge Scheduler takes a day of the month or a day of the week, never both ("the first Monday" is not
  // expressible); the local scheduler must not run what AWS would not.
  .refine((c) => {
    const [, , dom = '*', , dow = '*'] = c.trim().split(/\s+/);
    return dom === '*' || dom === '?' || dow === '*' || dow === '?';
  }, 'cannot set both day-of-month and day-of-week (EventBridge Scheduler runs one or the other): put * in one of them, such as "0 9 1 * *" or "0 9 * * MON"');

export const RATE = /^([1-9]\d{0,3}) (minute|minutes|hour|hours|day|days)$/;
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

const scheduleSchema = z
  .strictObject({
    cron: cronSchema.optional(),
    rate: z.string().regex(RATE, 'must be "<n> minutes", "<n> hours" or "<n> days", such as "7 days"').optional(),
    at: z.string().regex(LOCAL_DATETIME, 'must be a local date and time, such as 2026-12-24T09:00, read in timeZone').optional(),
    timeZone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone, such as Europe/Paris')
      .default('UTC'),
  })
  .refine((s) => [s.cron, s.rate, s.at].filter((v) => v !== undefined).length === 1, { error: 'a schedule has exactly one of cron, rate or at' });

const messageSchema = z.strictObject({ channel: channelSchema, template: templateName });

/** A treatment of a campaign experiment: its share, and its own message. */
const treatmentSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits and "-", starting with a letter or digit'),
  weight: z.number().positive().max(10_000).describe('Its share of those not held out, relative to the other treatments\' weights'),
  message: messageSchema,
});

/** What counts as a conversion of a campaign's message: an event within a window after the send. */
const campaignGoalSchema = z.strictObject({
  event: eventType,
  where: predicateSchema.optional(),
  within: z.string().refine((d) => parseDuration(d).ok, 'must be an ISO 8601 duration of at most a year, such as P7D or PT12H'),
});

export const campaignSchema = z
  .strictObject({
    id: campaignId,
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    audience: audienceId.optional().describe('An audience of the workspace'),
    where: audiencePredicateSchema.optional().describe('Or a predicate, as an audience would have'),
    message: messageSchema.optional(),
    treatments: z.array(treatmentSchema).min(2).max(10).optional().describe('An experiment: each recipient gets one treatment, by weight, the same one every run'),
    holdout: z.number().min(0.1).max(50).optional().describe('The percentage of the audience held out: it receives nothing, and its conversions are the baseline'),
    goal: campaignGoalSchema.optional().describe('The conversion the experiment reports: an event within a window after the send'),
    journey: journeyId.optional().describe('An audience journey: each member enters this journey'),
    schedule: scheduleSchema.optional(),
    trigger: z.literal('api').optional(),
    localTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 24-hour')
      .optional()
      .describe('Send when it is this time where each recipient is (their timeZone attribute; UTC when unknown)'),
    localDays: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
      .min(1)
      .max(7)
      .optional()
      .describe('With localTime: only on these days where each recipient is ("Monday 18:00 in each recipient\'s time": ["mon"])'),
    localDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, such as 2026-12-24')
      .optional()
      .describe('With localTime: on this date where each recipient is (one already past there goes at once)'),
    sendTime: z.literal('best').optional().describe("Send at each recipient's best hour within `within` of the run's start, learned from their opens and clicks"),
    within: sendWindow.optional(),
    sendTimeHoldout: z.number().min(0).max(0.5).optional().describe("With sendTime: the share of recipients sent at the run's start, to measure the lift (0.1 is 10%)"),
    rateLimit: z.int().min(1).max(10_000).default(50).describe('Messages per second, across the whole run'),
  })
  .superRefine((c, ctx) => {
    const one = (keys: Array<keyof typeof c>, message: string) => {
      if (keys.filter((k) => c[k] !== undefined).length !== 1) ctx.addIssue({ code: 'custom', path: [keys[0] as string], message, input: c });
    };
    one(['message', 'journey', 'treatments'], 'a campaign has exactly one of message (a channel and a template), treatments or journey');
    if (c.journey !== undefined && (c.holdout !== undefined || c.goal !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [c.holdout !== undefined ? 'holdout' : 'goal'], message: 'a campaign that enrols into a journey holds out and counts goals in the journey (a split with a holdout path, the journey\'s goal)', input: c });
    }
    const ids = (c.treatments ?? []).map((t) => t.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i || id === 'holdout') ctx.addIssue({ code: 'custom', path: ['treatments', i, 'id'], message: id === 'holdout' ? '"holdout" names the held-out group' : `"${id}" is the id of another treatment`, input: id });
    });
    one(['schedule', 'trigger'], 'a campaign has exactly one of schedule or "trigger": "api"');
    if (c.audience !== undefined && c.where !== undefined) ctx.addIssue({ code: 'custom', path: ['where'], message: 'give audience or where, not both', input: c });
    if (c.schedule && c.audience === undefined && c.where === undefined) ctx.addIssue({ code: 'custom', path: ['audience'], message: 'a scheduled campaign needs an audience (or where)', input: c });
    if ((c.localDays || c.localDate) && !c.localTime) ctx.addIssue({ code: 'custom', path: [c.localDays ? 'localDays' : 'localDate'], message: 'localDays and localDate go with localTime (the time of day)', input: c });
    if (c.sendTime && c.localTime) ctx.addIssue({ code: 'custom', path: ['sendTime'], message: 'give sendTime or localTime, not both', input: c });
    for (const key of ['within', 'sendTimeHoldout'] as const) if (c[key] !== undefined && !c.sendTime) ctx.addIssue({ code: 'custom', path: [key], message: `${key} goes with "sendTime": "best"`, input: c });
    if (c.localDays && c.localDate) ctx.addIssue({ code: 'custom', path: ['localDate'], message: 'give localDays or localDate, not both', input: c });
  });
export type Campaign = z.output<typeof campaignSchema>;

const DOW_NUMBERS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The EventBridge Scheduler expression of a campaign's schedule: cron(6 fields), rate(...) or at(...). */
export function schedulerExpression(schedule: NonNullable<Campaign['schedule']>): string {
  if (schedule.rate) return `rate(${schedule.rate})`;
  if (schedule.at) return `at(${schedule.at.length === 16 ? `${schedule.at}:00` : schedule.at})`;
  const [minute, hour, dom, month, dow] = schedule.cron!.trim().split(/\s+/) as [string, string, string, string, string];
  // Scheduler numbers days 1-7 from Sunday and wants `?` in one of the two day fields.
  const awsDow = dow.replace(/\d+/g, (d) => DOW_NUMBERS[Number(d) % 7]!);
  if (dow === '*' || dow === '?') return `cron(${minute} ${hour} ${dom === '?' ? '*' : dom} ${month} ? *)`;
  return `cron(${minute} ${hour} ? ${month} ${awsDow} *)`;
}
