import { ASL_LIMITS, type State, type StateMachineDefinition } from '../asl';
import { MAX_WAIT_SECONDS } from '../schema/duration';
import { jsonPath, type JourneyIssue } from '../errors';
import { isCycle, stronglyConnected } from '../scc';
import { isQuietWait, stepOfState } from '../contract';

// Step Functions limits a journey must stay within, checked on the compiled definition.

/** Execution history limit, and the budget we allow the worst path: far below it, for retries. */
export const HISTORY_LIMIT = 25_000;
export const HISTORY_BUDGET = 20_000;

/** History events a state writes when it runs once (entered/exited, plus scheduled/started/succeeded for a task). */
function eventsOf(state: State): number {
  return state.Type === 'Task' ? 5 : 2;
}

function successorsOf(state: State): string[] {
  const next: string[] = [];
  if ('Next' in state && state.Next) next.push(state.Next);
  if (state.Type === 'Choice') next.push(...state.Choices.map((c) => c.Next), state.Default);
  if (state.Type === 'Task') next.push(...(state.Catch ?? []).map((c) => c.Next));
  return [...new Set(next)];
}

/** The least time one pass through a wait state takes: unknown timestamps and awaited events may take none. */
const minimumSeconds = (state: State) => (state.Type === 'Wait' && state.Seconds !== undefined ? state.Seconds : 0);

/**
 * A quiet-hours wait (`<step>.quiet`, see steps/message.ts) loops back to its send at most this many times: it
 * waits until the quiet window ends, and a send after that is outside the window. Counted, not treated as a loop.
 */
const QUIET_REPEATS = 2;


function hasCycle(nodes: string[], next: (n: string) => string[]): boolean {
  const inSet = new Set(nodes);
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: done
  const visit = (v: string): boolean => {
    state.set(v, 1);
    for (const w of next(v)) {
      if (!inSet.has(w)) continue;
      if (state.get(w) === 1 || (!state.has(w) && visit(w))) return true;
    }
    state.set(v, 2);
    return false;
  };
  return nodes.some((n) => !state.has(n) && visit(n));
}

export interface HistoryEstimate {
  /** History events on the worst path, Infinity when a loop has no lower bound on its duration. */
  events: number;
  /** The steps of the loop that dominates, if any. */
  loop?: string[];
}

/**
 * The most history events an execution can write. A loop can run at most (one year / its shortest wait)
 * times, since a Standard execution lives a year; a loop whose waits may take no time is unbounded.
 */
export function estimateHistory(definition: StateMachineDefinition): HistoryEstimate {
  const names = Object.keys(definition.States);
  // A quiet wait's way back to its send is a bounded repeat, weighed below, not an edge of a loop.
  const next = (n: string) => (isQuietWait(n) ? [] : successorsOf(definition.States[n]!).filter((s) => s in definition.States));
  const repeatCost = (n: string) => {
    const back = (definition.States[n] as { Next?: string }).Next;
    return back ? QUIET_REPEATS * (eventsOf(definition.States[back]!) + 2 + eventsOf(definition.States[n]!)) : 0;
  };
  const components = stronglyConnected(names, next);
  const component = new Map<string, number>();
  components.forEach((members, c) => members.forEach((m) => component.set(m, c)));

  const weight = components.map((members) => {
    const once = members.reduce((sum, m) => sum + eventsOf(definition.States[m]!) + (isQuietWait(m) ? repeatCost(m) : 0), 0);
    if (!isCycle(members, next)) return once;
    // Every pass goes through a wait of fixed length, unless some cycle avoids them all: then it is unbounded.
    const timed = new Set(members.filter((m) => minimumSeconds(definition.States[m]!) > 0));
    if (hasCycle(members.filter((m) => !timed.has(m)), next)) return Infinity;
    const shortestWait = Math.min(...[...timed].map((m) => minimumSeconds(definition.States[m]!)));
    return once * Math.ceil(MAX_WAIT_SECONDS / shortestWait);
  });
  // Longest path over the components, memoised (the condensation is a DAG).
  const best = new Map<number, number>();
  const longest = (c: number): number => {
    if (best.has(c)) return best.get(c)!;
    let tail = 0;
    for (const m of components[c]!) for (const w of next(m)) if (component.get(w) !== c) tail = Math.max(tail, longest(component.get(w)!));
    const total = weight[c]! + tail;
    best.set(c, total);
    return total;
  };
  const events = 2 + longest(component.get(definition.StartAt)!); // ExecutionStarted, ExecutionSucceeded
  const heaviest = components.map((members, c) => ({ members, w: weight[c]!, cyclic: members.length > 1 })).filter((c) => c.cyclic).sort((a, b) => b.w - a.w)[0];
  return { events, ...(heaviest ? { loop: [...new Set(heaviest.members.map(stepOfState))].sort() } : {}) };
}

export function checkLimits(definition: StateMachineDefinition, compactBytes: number, mode: 'express' | 'standard' = 'standard'): JourneyIssue[] {
  const issues: JourneyIssue[] = [];
  if (compactBytes > ASL_LIMITS.definitionBytes) {
    issues.push({ code: 'limit-exceeded', path: '$', message: `the compiled state machine is ${compactBytes} bytes, over Step Functions' 1 MB limit: split the journey (a jump step can chain journeys)` });
    return issues; // too big to deploy: its history does not matter
  }
  // An Express run is many short executions, each parked at its waits: no one history grows with the run.
  if (mode === 'express') return issues;
  const history = estimateHistory(definition);
  if (history.events > HISTORY_BUDGET) {
    const where = history.loop ? jsonPath(['steps', history.loop[0]!]) : '$';
    const why = history.events === Infinity
      ? `the loop through ${history.loop!.join(', ')} has no wait of a fixed duration, so nothing bounds how often it runs`
      : `the worst path can write about ${history.events} history events${history.loop ? ` (the loop through ${history.loop.join(', ')} can run for a year)` : ''}`;
    issues.push({ code: 'limit-exceeded', path: where, message: `${why}; an execution stops at ${HISTORY_LIMIT}: add a longer wait to the loop, or split the journey` });
  }
  return issues;
}
