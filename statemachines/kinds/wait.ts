import * as z from 'zod';
import type { State } from '../asl';
import { stepId } from '../schema/ids';
import { dataPath } from '../schema/predicate';
import { parseDuration } from '../schema/duration';
import { localTimeWaitName, reloadName, type LocalTimeTask, type TaskPayload } from '../contract';
import { FILLS, type StepKind } from './kind';
import { LAMBDA_TRANSIENT_RETRY, reloadProfile } from './tasks';

// `for` and a literal `until` are plain strings here: their grammar is checked by the bad-duration rule so
// that a mistake in one wait does not hide the other errors of the journey.
const schema = z
  .strictObject({
    type: z.literal('wait'),
    for: z.string().optional(),
    until: z.union([z.string(), z.strictObject({ path: dataPath })], { error: 'until is a timestamp or { "path": ... }' }).optional(),
    atLocalTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'atLocalTime is a 24-hour time, HH:MM, such as 09:00')
      .optional()
      .describe("Waits until this time of day in the profile's time zone (attribute timeZone; UTC when missing)."),
    days: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
      .min(1)
      .max(7)
      .optional()
      .describe('With atLocalTime: only on these days of the week.'),
    next: stepId,
  })
  .superRefine((s, ctx) => {
    if (s.days && s.atLocalTime === undefined) ctx.addIssue({ code: 'custom', path: ['days'], message: 'days go with atLocalTime', input: s.days });
  })
  .meta({ description: 'Waits for an ISO 8601 duration (`for`), until a timestamp, or until a timestamp read from the data (`until`).' });
export type WaitStep = z.infer<typeof schema>;

const readsProfile = (s: WaitStep) => typeof s.until === 'object' && s.until.path.startsWith('profile.');

/**
 * A Wait state. `until: { path }` waits until the timestamp found in the data: a Choice first checks it is
 * there and is an RFC 3339 timestamp (a Wait on anything else fails the execution); without one the profile
 * goes straight on.
 */
export const wait: StepKind<WaitStep> = {
  schema,
  refs: (s) => [{ path: ['next'], to: s.next }],
  waits: true,
  countsItself: false,
  profileAfter: () => 'stale',
  entry: (id, stale, s) => (stale && readsProfile(s) ? reloadName(id) : id),
  label: (s) =>
    s.atLocalTime ? `wait until ${s.atLocalTime} local${s.days ? ` (${s.days.join(', ')})` : ''}` : `wait ${s.for ?? (typeof s.until === 'object' ? `until ${s.until.path}` : `until ${s.until}`)}`,
  look: { fill: FILLS.wait, shape: 'rounded' },
  states(s, ctx) {
    const next = ctx.target(s.next);
    if (s.atLocalTime !== undefined) {
      // The profile function reads the profile's time zone, fresh, and answers the next such moment.
      return {
        [ctx.id]: {
          Type: 'Task',
          Comment: `Next ${s.atLocalTime}${s.days ? ` on ${s.days.join(', ')}` : ''} in the profile's time zone`,
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName: ctx.resources.profile,
            Payload: { operation: 'localTime', 'profileId.$': '$.profileId', 'runId.$': '$.run.id', atLocalTime: s.atLocalTime, ...(s.days ? { days: s.days } : {}) } satisfies TaskPayload<LocalTimeTask>,
          },
          ResultSelector: { 'at.$': '$.Payload.at' },
          ResultPath: `$.steps.${ctx.id}`,
          Retry: [LAMBDA_TRANSIENT_RETRY],
          Next: localTimeWaitName(ctx.id),
        },
        [localTimeWaitName(ctx.id)]: { Type: 'Wait', Comment: `Wait until ${s.atLocalTime} local time`, TimestampPath: `$.steps.${ctx.id}.at`, Next: next },
      };
    }
    if (typeof s.until === 'object') {
      const Variable = `$.${s.until.path}`;
      const states: Record<string, State> = {};
      if (wait.entry(ctx.id, ctx.profileStale, s) !== ctx.id) states[reloadName(ctx.id)] = reloadProfile(ctx, ctx.id);
      states[ctx.id] = {
        Type: 'Choice',
        Comment: `Wait until ${s.until.path}, if it holds a timestamp`,
        Choices: [{ And: [{ Variable, IsPresent: true }, { Variable, IsTimestamp: true }], Next: `${ctx.id}.wait` }],
        Default: next,
      };
      states[`${ctx.id}.wait`] = { Type: 'Wait', Comment: `Wait until ${s.until.path}`, TimestampPath: Variable, Next: next };
      return states;
    }
    const duration = s.for === undefined ? undefined : parseDuration(s.for);
    const how = duration?.ok ? { Seconds: duration.seconds } : { Timestamp: s.until! };
    return { [ctx.id]: { Type: 'Wait', Comment: s.for ? `Wait ${s.for}` : `Wait until ${s.until}`, ...how, Next: next } };
  },
};
