import { kindOf, type Step } from './kinds';
import { isCycle, stronglyConnected } from './scc';

// Graph questions over a journey's steps, shared by the validator and the compiler.

export type Steps = Readonly<Record<string, Step>>;

export function successors(step: Step): string[] {
  return kindOf(step).refs(step).map((r) => r.to);
}

/** Step ids in breadth-first order from start, following references in their written order. */
export function breadthFirst(start: string, steps: Steps): string[] {
  const seen = new Set<string>();
  const queue = [start];
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const step = steps[id];
    if (seen.has(id) || !step) continue;
    seen.add(id);
    order.push(id);
    queue.push(...successors(step));
  }
  return order;
}

/**
 * Strongly connected components of the steps where no time passes, that contain a cycle: a profile caught in
 * one would loop with no wait, burning state transitions until the execution's history limit.
 */
export function cyclesWithoutWait(steps: Steps): string[][] {
  const ids = Object.keys(steps).filter((id) => !kindOf(steps[id]!).waits);
  const inGraph = new Set(ids);
  const next = (id: string) => successors(steps[id]!).filter((s) => inGraph.has(s));
  return stronglyConnected(ids, next).filter((component) => isCycle(component, next));
}

/**
 * For each step, whether the profile in the state data may be stale on arrival. The execution starts with the
 * profile as ingest merged it; each step kind says what it leaves (see StepKind.profileAfter). A dataflow
 * fix-point: stale on arrival if stale from any predecessor.
 */
export function staleProfileOnArrival(start: string, steps: Steps): Map<string, boolean> {
  const stale = new Map<string, boolean>(Object.keys(steps).map((id) => [id, false]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of breadthFirst(start, steps)) {
      const step = steps[id]!;
      const kind = kindOf(step);
      const after = kind.profileAfter(step);
      const out = after === 'stale' ? true : after === 'fresh' ? false : stale.get(id)!;
      for (const to of successors(step)) {
        if (out && stale.get(to) === false) {
          stale.set(to, true);
          changed = true;
        }
      }
    }
  }
  return stale;
}
