import * as z from 'zod';
import { stepId } from '../ids';

const path = z.strictObject({
  weight: z.number().int('must be a whole number').min(1).max(10_000),
  next: stepId.optional(),
  holdout: z.literal(true).optional(),
});

export const splitStep = z
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
export type SplitStep = z.infer<typeof splitStep>;
