import * as z from 'zod';
import { stepId, templateName } from '../schema/ids';
import type { DecideTask, TaskPayload } from '../contract';
import { FILLS, type StepKind } from './kind';
import { effectTask } from './tasks';

const schema = z
  .strictObject({
    type: z.literal('decide'),
    decision: templateName.describe('A decision of the workspace: decisions/<decision>.json.'),
    next: stepId,
  })
  .meta({
    description:
      'Picks offers for the profile (eligibility, ranking, caps, codes), once per visit however often the task is retried. Message templates after it read them as {{#each offers}} (id, content, code).',
  });
export type DecideStep = z.infer<typeof schema>;

/**
 * One task on the decide function. Keyed by execution, step and visit like a send, so a retry answers the
 * same offers and claims caps and codes once. The offers stay in `$.steps.<id>`: the send function reads the
 * latest decision's for the template's `offers`.
 */
export const decide: StepKind<DecideStep> = {
  schema,
  refs: (s) => [{ path: ['next'], to: s.next }],
  waits: false,
  countsItself: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  label: (s) => `decide ${s.decision}`,
  look: { fill: FILLS.effect, shape: 'box' },
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: `Decide ${s.decision}`,
      functionName: ctx.resources.decide,
      payload: {
        decision: s.decision,
        stepId: ctx.id,
        'runId.$': '$.run.id',
        'profileId.$': '$.profileId',
        'steps.$': '$.steps',
      } satisfies TaskPayload<DecideTask>,
      result: { 'visit.$': '$.Payload.visit', 'at.$': '$.Payload.at', 'fallback.$': '$.Payload.fallback', 'offers.$': '$.Payload.offers' },
      next: ctx.target(s.next),
    }),
  }),
};
