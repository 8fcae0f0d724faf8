import * as z from 'zod';
import type { State } from '../asl';
import { stepId } from '../schema/ids';
import { FILLS, type StepKind } from './kind';
import { countTask } from './tasks';

const path = z.strictObject({
  weight: z.number().int('must be a whole number').min(1).max(10_000),
  next: stepId.optional(),
  holdout: z.literal(true).optional(),
});

const schema = z
  .strictObject({
    type: z.literal('split'),
    paths: z.array(path).min(2).max(10),
  })
  .superRefine((step, ctx) => {
    step.paths.forEach((p, i) => {
      if ((p.next === undefined) === (p.holdout === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['paths', i], message: 'a path has either "next" or "holdout": true', input: p });
      }
    });
    if (step.paths.filter((p) => p.holdout).length > 1) {
      ctx.addIssue({ code: 'custom', path: ['paths'], message: 'a split has at most one holdout path', input: step.paths });
    }
  })
  .meta({ description: 'Sends each profile down one path, by weight, the same path every time for the same profile.' });
export type SplitStep = z.infer<typeof schema>;

// A split needs no Lambda: a Pass state hashes profile id and step id (States.Hash, SHA-256, lower-case hex),
// and a Choice compares the hash with thresholds. The same profile always takes the same path; two splits
// in one journey are independent. Two state transitions per split.

export { splitThresholds } from './split-thresholds';
import { splitThresholds } from './split-thresholds';

export const split: StepKind<SplitStep> = {
  schema,
  refs: (s) => s.paths.flatMap((p, i) => (p.next ? [{ path: ['paths', i, 'next'], to: p.next }] : [])),
  waits: false,
  countsItself: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  label: () => 'split',
  edges: (id, s) => {
    const total = s.paths.reduce((a, p) => a + p.weight, 0);
    return s.paths.map((p) => ({ to: p.next ?? `${id}.holdout`, label: `${Math.round((p.weight / total) * 1000) / 10}%` }));
  },
  look: { fill: FILLS.decision, shape: 'decision' },
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
