import * as z from 'zod';

export const endStep = z
  .strictObject({ type: z.literal('end') })
  .meta({ description: 'The profile leaves the journey.' });
export type EndStep = z.infer<typeof endStep>;
