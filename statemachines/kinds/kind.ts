import type * as z from 'zod';
import type { State } from '../asl';
import type { TaskResources } from '../contract';

// What a step kind declares, once: its schema, its references, its behaviour in time and in the report, how it
// is drawn, and the states it compiles to. The validator, the compiler, the drawings and the report derive from
// the list of kinds (kinds/index.ts); a kind left out of that list is a type error.

export interface StepContext {
  id: string;
  resources: TaskResources;
  /** The state name that entering the given step goes to. */
  target(stepId: string): string;
  /** True when the profile in the state data may be stale here and a condition on it must reload it. */
  profileStale: boolean;
  /** The workspace has quiet hours: a send may answer "deferred until", and the step waits and sends again. */
  deferrableSends: boolean;
  /** The live report counts visits (count tasks). */
  counts: boolean;
}

/** A reference from one step to another, with the path of the field that holds it. */
export interface StepRef {
  path: PropertyKey[];
  to: string;
}

/** A labelled way out of a step, for drawings. */
export interface StepEdge {
  to: string;
  label: string;
}

/** How drawings show a kind: a box's fill, and its shape (a decision, a box, rounded for waits, a terminal). */
export interface Look {
  fill: string;
  shape: 'decision' | 'box' | 'rounded' | 'terminal';
}

export interface StepKind<S> {
  schema: z.ZodType<S>;
  /** The steps this one can go to, in a fixed order. */
  refs(step: S): StepRef[];
  /** Whether time passes in this step: a loop through it is not a busy loop, and the report counts who waits. */
  waits: boolean;
  /** The step's own function counts its visits (the send function does): no count task before it. */
  countsItself: boolean;
  /**
   * The profile in the state data after this step: `fresh` (read just now), `stale` (time passed, or this
   * step changed the stored profile), or `unchanged` (as it was before the step).
   */
  profileAfter(step: S): 'fresh' | 'stale' | 'unchanged';
  /** The name of the state a transition into this step goes to. */
  entry(id: string, profileStale: boolean, step: S): string;
  /** The states of this step, the entry first. */
  states(step: S, ctx: StepContext): Record<string, State>;
  /** What the step does, in a few words, for drawings (`email welcome`). */
  label(step: S): string;
  /** The labelled ways out, for drawings; without it, the references (`on error` for onError). */
  edges?(id: string, step: S): StepEdge[];
  look: Look;
}

/** The references of a step that goes to `next`, or to `onError` when it fails for good. */
export function nextAndOnError(s: { next: string; onError?: string | undefined }): StepRef[] {
  return [{ path: ['next'], to: s.next }, ...(s.onError ? [{ path: ['onError'], to: s.onError }] : [])];
}

/** Drawing colours shared by kinds of one family. */
export const FILLS = { decision: '#fff4d6', message: '#dcecff', wait: '#eeeeee', effect: '#e3f5e1', end: '#f4dede', plain: '#fff' } as const;
