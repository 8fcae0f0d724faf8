import * as z from 'zod';
import { predicateSchema } from '../predicate';
import { stepId } from '../ids';

export const conditionStep = z
  .strictObject({
    type: z.literal('condition'),
    branches: z
      .array(z.strictObject({ when: predicateSchema, next: stepId }))
      .min(1)
      .max(20),
    otherwise: stepId,
  })
  .meta({ description: 'Takes the first branch whose predicate holds, else `otherwise`.' });
export type ConditionStep = z.infer<typeof conditionStep>;
