import type { EndStep } from '../../schema/steps';
import type { StepKind } from '../context';

export const end: StepKind<EndStep> = {
  refs: () => [],
  waits: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  states: (_s, ctx) => ({ [ctx.id]: { Type: 'Succeed', Comment: 'The profile leaves the journey' } }),
};
