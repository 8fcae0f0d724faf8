import * as z from 'zod';
import { journeyId, stepId } from '../schema/ids';
import type { JumpTask, TaskPayload } from '../contract';
import { FILLS, type StepKind } from './kind';
import { effectTask } from './tasks';

const schema = z
  .strictObject({
    type: z.literal('jump'),
    journey: journeyId.describe('The journey the profile enters (its re-entry rules apply; its entry condition does not).'),
    next: stepId.optional().describe('Where the profile goes on in this journey; without it, it leaves this one.'),
  })
  .meta({ description: 'Enters the profile into another journey.' });
export type JumpStep = z.infer<typeof schema>;

/**
 * One task: the jump function puts a `journey.jump` event on the bus, which the target journey's jump rule
 * takes to the starter. No state machine names another, so journeys can jump to each other both ways.
 */
export const jump: StepKind<JumpStep> = {
  schema,
  refs: (s) => (s.next ? [{ path: ['next'], to: s.next }] : []),
  waits: false,
  countsItself: false,
  profileAfter: () => 'unchanged',
  entry: (id) => id,
  label: (s) => `enter journey ${s.journey}`,
  look: { fill: FILLS.plain, shape: 'box' },
  states: (s, ctx) => ({
    [ctx.id]: effectTask(ctx, {
      comment: `Enter journey ${s.journey}`,
      functionName: ctx.resources.jump,
      payload: { stepId: ctx.id, target: s.journey, 'runId.$': '$.run.id', 'event.$': '$.event', 'profile.$': '$.profile', 'steps.$': '$.steps' } satisfies TaskPayload<JumpTask>,
      result: { 'visit.$': '$.Payload.visit' },
      ...(s.next ? { next: ctx.target(s.next) } : {}),
    }),
  }),
};
