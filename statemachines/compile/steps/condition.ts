import type { ConditionStep } from '../../schema/steps';
import { usesProfile } from '../../schema/predicate';
import { toChoiceRule } from '../predicate';
import { reloadName, reloadProfile, type StepKind } from '../context';

const reads = (s: ConditionStep) => s.branches.some((b) => usesProfile(b.when));

/** The Choice state, preceded by one profile load only when the profile may have changed since it was read. */
export const condition: StepKind<ConditionStep> = {
  refs: (s) => [
    ...s.branches.map((b, i) => ({ path: ['branches', i, 'next'], to: b.next })),
    { path: ['otherwise'], to: s.otherwise },
  ],
  waits: false,
  profileAfter: (s) => (reads(s) ? 'fresh' : 'unchanged'),
  entry: (id, stale, s) => (stale && reads(s) ? reloadName(id) : id),
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
