import * as z from 'zod';
import { journeyId, stepId } from '../ids';

export const jumpStep = z
  .strictObject({
    type: z.literal('jump'),
    journey: journeyId.describe('The journey the profile enters (its re-entry rules apply; its entry condition does not).'),
    next: stepId.optional().describe('Where the profile goes on in this journey; without it, it leaves this one.'),
  })
  .meta({ description: 'Enters the profile into another journey.' });
export type JumpStep = z.infer<typeof jumpStep>;
