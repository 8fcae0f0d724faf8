import type { WaitStep } from '../../schema/steps';
import type { State } from '../../asl';
import { parseDuration } from '../../schema/duration';
import { LAMBDA_TRANSIENT_RETRY, reloadName, reloadProfile, type StepKind } from '../context';

const readsProfile = (s: WaitStep) => typeof s.until === 'object' && s.until.path.startsWith('profile.');

/**
 * A Wait state. `until: { path }` waits until the timestamp found in the data: a Choice first checks it is
 * there and is an RFC 3339 timestamp (a Wait on anything else fails the execution); without one the profile
 * goes straight on.
 */
export const wait: StepKind<WaitStep> = {
  refs: (s) => [{ path: ['next'], to: s.next }],
  waits: true,
  profileAfter: () => 'stale',
  entry: (id, stale, s) => (stale && readsProfile(s) ? reloadName(id) : id),
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
            Payload: { operation: 'localTime', 'profileId.$': '$.profileId', 'executionId.$': '$$.Execution.Id', atLocalTime: s.atLocalTime, ...(s.days ? { days: s.days } : {}) },
          },
          ResultSelector: { 'at.$': '$.Payload.at' },
          ResultPath: `$.steps.${ctx.id}`,
          Retry: [LAMBDA_TRANSIENT_RETRY],
          Next: `${ctx.id}.wait`,
        },
        [`${ctx.id}.wait`]: { Type: 'Wait', Comment: `Wait until ${s.atLocalTime} local time`, TimestampPath: `$.steps.${ctx.id}.at`, Next: next },
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
