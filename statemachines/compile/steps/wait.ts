import type { WaitStep } from '../../schema/steps';
import { parseDuration } from '../../schema/duration';
import type { StepKind } from '../context';

export const wait: StepKind<WaitStep> = {
  refs: (s) => [{ path: ['next'], to: s.next }],
  waits: true,
  readsProfile: () => false,
  entry: (id) => id,
  states(s, ctx) {
    const duration = s.for === undefined ? undefined : parseDuration(s.for);
    const how = duration?.ok ? { Seconds: duration.seconds } : { Timestamp: s.until! };
    return { [ctx.id]: { Type: 'Wait', Comment: s.for ? `Wait ${s.for}` : `Wait until ${s.until}`, ...how, Next: ctx.target(s.next) } };
  },
};
