import type { StateMachineDefinition, State } from '../asl';
import type { Journey } from '../schema/journey';
import { breadthFirst, staleProfileOnArrival } from '../graph';
import { kindOf } from './steps';
import { DEFAULT_RESOURCES, SEND_FAILED_STATE, type TaskResources } from './context';

export interface CompileOptions {
  resources?: TaskResources;
}

const SEND_FAILED: State = {
  Type: 'Fail',
  Comment: 'A message failed permanently and its step has no onError path; the send ledger holds the reason',
  Error: 'SendFailed',
  Cause: 'A message could not be sent',
};

/**
 * Compiles a validated journey to ASL. Pure and deterministic: states are emitted in breadth-first order from
 * the start, each step kind renders its own states, and object keys are written in a fixed order.
 */
export function compileJourney(journey: Journey, options: CompileOptions = {}): StateMachineDefinition {
  const resources = options.resources ?? DEFAULT_RESOURCES;
  const order = breadthFirst(journey.start, journey.steps);
  const stale = staleProfileOnArrival(journey.start, journey.steps);
  const entries = new Map(order.map((id) => [id, kindOf(journey.steps[id]!).entry(id, stale.get(id)!, journey.steps[id]!)]));
  const target = (id: string) => entries.get(id)!;

  const States: Record<string, State> = {};
  for (const id of order) {
    const step = journey.steps[id]!;
    Object.assign(States, kindOf(step).states(step, { journey, id, resources, target, profileStale: stale.get(id)! }));
  }
  const failsToShared = Object.values(States).some((s) => s.Type === 'Task' && s.Catch?.some((c) => c.Next === SEND_FAILED_STATE));
  if (failsToShared) States[SEND_FAILED_STATE] = SEND_FAILED;

  return { Comment: `Journey ${journey.id}: ${journey.name}`, StartAt: target(journey.start), States };
}

/**
 * The definition as bytes: same journey, same bytes. Compact is what is deployed (it counts against the 1 MB
 * definition limit and CloudFormation's template size); pretty is for people (docs, `jo compile`).
 */
export function renderDefinition(definition: StateMachineDefinition, options: { pretty?: boolean } = {}): string {
  return options.pretty ? `${JSON.stringify(definition, null, 2)}\n` : JSON.stringify(definition);
}
