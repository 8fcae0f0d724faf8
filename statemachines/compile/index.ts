import type { StateMachineDefinition, State } from '../asl';
import type { Journey } from '../schema/journey';
import { toExpress } from './express';
import { breadthFirst, staleProfileOnArrival } from '../graph';
import { kindOf } from '../kinds';
import { countTask } from '../kinds/tasks';
import { ACTION_FAILED_STATE, DEFAULT_RESOURCES, SEND_FAILED_STATE, countName, leftName, type TaskResources } from '../contract';

export interface CompileOptions {
  resources?: TaskResources;
  /** The workspace has quiet hours (rules.json): message steps get a wait-and-send-again loop. */
  quietHours?: boolean;
  /** Count tasks for the live report (default true). Message steps count in the send function either way. */
  countSteps?: boolean;
  /** Overrides the journeys' own choice of execution mode (the suite runs the journey tests in each). */
  execution?: 'express' | 'standard';
}

// Where a step with no onError path ends a run, by the kind of failure.
const FAIL_STATES: Record<string, State> = {
  [SEND_FAILED_STATE]: {
    Type: 'Fail',
    Comment: 'A message failed permanently and its step has no onError path; the send ledger holds the reason',
    Error: 'SendFailed',
    Cause: 'A message could not be sent',
  },
  [ACTION_FAILED_STATE]: {
    Type: 'Fail',
    Comment: 'A webhook failed for good and its step has no onError path',
    Error: 'ActionFailed',
    Cause: 'A custom action could not be completed',
  },
};

/**
 * Compiles a validated journey to ASL. Pure and deterministic: states are emitted in breadth-first order from
 * the start, each step kind renders its own states, and object keys are written in a fixed order.
 */
export function compileJourney(journey: Journey, options: CompileOptions = {}): StateMachineDefinition {
  const resources = options.resources ?? DEFAULT_RESOURCES;
  const order = breadthFirst(journey.start, journey.steps);
  const stale = staleProfileOnArrival(journey.start, journey.steps);
  const counts = options.countSteps !== false && journey.report !== 'messages';
  const counted = (id: string) => counts && !kindOf(journey.steps[id]!).countsItself;
  const entries = new Map(order.map((id) => [id, kindOf(journey.steps[id]!).entry(id, stale.get(id)!, journey.steps[id]!)]));
  const target = (id: string) => (counted(id) ? countName(id) : entries.get(id)!);

  const States: Record<string, State> = {};
  for (const id of order) {
    const step = journey.steps[id]!;
    const kind = kindOf(step);
    const waits = kind.waits && counted(id);
    if (counted(id)) States[countName(id)] = countTask(resources, id, 'entered', waits, entries.get(id)!);
    // A waiting step leaves through a count of its leaving, one per way out.
    const leaving = new Map<string, string>();
    const stepTarget = waits ? (to: string) => (leaving.set(to, leftName(id, to)), leftName(id, to)) : target;
    Object.assign(States, kind.states(step, { id, resources, target: stepTarget, profileStale: stale.get(id)!, deferrableSends: options.quietHours === true, counts }));
    for (const [to, name] of leaving) States[name] = countTask(resources, id, 'left', true, target(to));
  }
  for (const [name, state] of Object.entries(FAIL_STATES)) {
    if (Object.values(States).some((s) => s.Type === 'Task' && s.Catch?.some((c) => c.Next === name))) States[name] = state;
  }

  // A fresh tree: the output shares no object with the shared constants (retriers, fail states) or with the
  // journey, so whatever a consumer does to it cannot change the next compile.
  const standard = structuredClone({ Comment: `Journey ${journey.id}: ${journey.name}`, StartAt: target(journey.start), States });
  return executionMode(journey, options) === 'express' ? toExpress(standard, resources) : standard;
}

/** The mode a journey compiles to: the option, else the journey's own, else Express. */
export const executionMode = (journey: Pick<Journey, 'execution'>, options: Pick<CompileOptions, 'execution'> = {}) => options.execution ?? journey.execution ?? 'express';

/**
 * The definition as bytes: same journey, same bytes. Compact is what is deployed (it counts against the 1 MB
 * definition limit and CloudFormation's template size); pretty is for people (docs, `jo compile`).
 */
export function renderDefinition(definition: StateMachineDefinition, options: { pretty?: boolean } = {}): string {
  return options.pretty ? `${JSON.stringify(definition, null, 2)}\n` : JSON.stringify(definition);
}
