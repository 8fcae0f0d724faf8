import * as z from 'zod';
import { FILLS, type StepKind } from './kind';

const schema = z.strictObject({ type: z.literal('end') }).meta({ description: 'The profile leaves the journey.' });
export type EndStep = z.infer<typeof schema>;

export const end: StepKind<EndStep> = {
  schema,
  refs: () => [],
  waits: false,
  countsItself: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  label: () => 'end',
  look: { fill: FILLS.end, shape: 'terminal' },
  states: (_s, ctx) => ({ [ctx.id]: { Type: 'Succeed', Comment: 'The profile leaves the journey' } }),
};
