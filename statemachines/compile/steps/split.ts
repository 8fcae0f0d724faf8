import type { SplitStep } from '../../schema/steps';
import type { State } from '../../asl';
import { countTask, type StepKind } from '../context';

// A split needs no Lambda: a Pass state hashes profile id and step id (States.Hash, SHA-256, lower-case hex),
// and a Choice compares the hash with thresholds. The same profile always takes the same path; two splits
// in one journey are independent. Two state transitions per split.

const BUCKETS = 2 ** 32;

/** The cumulative thresholds, as 8 hex digits: a hash below the i-th takes path i. */
export function splitThresholds(weights: readonly number[]): string[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return weights.slice(0, -1).map((w) => {
    cumulative += w;
    return Math.round((cumulative / total) * BUCKETS).toString(16).padStart(8, '0');
  });
}

export const split: StepKind<SplitStep> = {
  refs: (s) => s.paths.flatMap((p, i) => (p.next ? [{ path: ['paths', i, 'next'], to: p.next }] : [])),
  waits: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  states(s, ctx) {
    const holdout = `${ctx.id}.holdout`;
    const target = (i: number) => (s.paths[i]!.next ? ctx.target(s.paths[i]!.next!) : ctx.counts ? `${holdout}.count` : holdout);
    const thresholds = splitThresholds(s.paths.map((p) => p.weight));
    const states: Record<string, State> = {
      [ctx.id]: {
        Type: 'Pass',
        Comment: `Split ${s.paths.map((p) => p.weight).join('/')}: hash of profile and step`,
        Parameters: { 'bucket.$': `States.Hash(States.Format('{}:${ctx.id}', $.profileId), 'SHA-256')` },
        ResultPath: '$.split',
        Next: `${ctx.id}.path`,
      },
      [`${ctx.id}.path`]: {
        Type: 'Choice',
        Choices: thresholds.map((t, i) => ({ Variable: '$.split.bucket', StringLessThan: t, Next: target(i) })),
        Default: target(s.paths.length - 1),
      },
    };
    if (s.paths.some((p) => p.holdout)) {
      // The report counts the held out as a step of their own (the outline's holdout node).
      if (ctx.counts) states[`${holdout}.count`] = countTask(ctx.resources, holdout, 'entered', false, holdout);
      states[holdout] = {
        Type: 'Pass',
        Comment: 'Holdout: the profile is recorded as held out and gets nothing',
        Result: { step: ctx.id },
        ResultPath: '$.holdout',
        End: true,
      };
    }
    return states;
  },
};
