import * as z from 'zod';
import { predicateSchema, usesProfile } from '../schema/predicate';
import { stepId } from '../schema/ids';
import { reloadName } from '../contract';
import { toChoiceRule } from './choice-rule';
import { describePredicate } from '../render/describe';
import { FILLS, type StepKind } from './kind';
import { reloadProfile } from './tasks';

const schema = z
  .strictObject({
    type: z.literal('condition'),
    branches: z
      .array(z.strictObject({ when: predicateSchema, next: stepId }))
      .min(1)
      .max(20),
    otherwise: stepId,
  })
  .meta({ description: 'Takes the first branch whose predicate holds, else `otherwise`.' });
export type ConditionStep = z.infer<typeof schema>;

const reads = (s: ConditionStep) => s.branches.some((b) => usesProfile(b.when));

/** The Choice state, preceded by one profile load only when the profile may have changed since it was read. */
export const condition: StepKind<ConditionStep> = {
  schema,
  refs: (s) => [
    ...s.branches.map((b, i) => ({ path: ['branches', i, 'next'], to: b.next })),
    { path: ['otherwise'], to: s.otherwise },
  ],
  waits: false,
  countsItself: false,
  profileAfter: (s) => (reads(s) ? 'fresh' : 'unchanged'),
  entry: (id, stale, s) => (stale && reads(s) ? reloadName(id) : id),
  label: () => 'condition',
  edges: (_id, s) => [...s.branches.map((b) => ({ to: b.next, label: describePredicate(b.when) })), { to: s.otherwise, label: 'otherwise' }],
  look: { fill: FILLS.decision, shape: 'decision' },
  states(s, ctx) {
    const choice = {
      Type: 'Choice' as const,
      Choices: s.branches.map((b) => ({ ...toChoiceRule(b.when), Next: ctx.target(b.next) })),
      Default: ctx.target(s.otherwise),
    };
    if (condition.entry(ctx.id, ctx.profileStale, s) === ctx.id) return { [ctx.id]: choice };
    return { [reloadName(ctx.id)]: reloadProfile(ctx, ctx.id), [ctx.id]: choice };
  },
};
