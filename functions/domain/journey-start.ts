import { createHash } from 'node:crypto';
import type { Predicate } from '../../statemachines';
import type { Executions } from '../ports';
import type { BusDetail } from './events';
import { compilePredicate, type CompiledPredicate } from './predicate';

/** The input a journey's bus rule gives the starter: the rule's static part plus the event's detail. */
export interface StarterInput {
  journey: { id: string };
  stateMachineArn: string;
  when?: Predicate;
  detail: BusDetail;
}

/** The state data a journey execution starts with (the compiled ASL reads these paths). */
export interface ExecutionInput {
  journey: { id: string };
  profileId: string;
  event: BusDetail['event'];
  profile: BusDetail['profile'];
  sends: Record<string, never>;
}

/**
 * Deterministic and free of personal data: a hash of journey, profile and event id. The same event delivered
 * twice maps to the same name, and Step Functions refuses a second execution with it.
 */
export function executionName(journeyId: string, profileId: string, eventId: string): string {
  return createHash('sha256').update(`${journeyId}\u0000${profileId}\u0000${eventId}`).digest('hex').slice(0, 40);
}

const compiled = new Map<string, CompiledPredicate>();
function entryTest(when: Predicate): CompiledPredicate {
  const key = JSON.stringify(when);
  let test = compiled.get(key);
  if (!test) {
    test = compilePredicate(when);
    compiled.set(key, test);
  }
  return test;
}

export type StartOutcome = 'started' | 'already-started' | 'filtered';

export async function startJourney(input: StarterInput, executions: Executions): Promise<StartOutcome> {
  const { event, profile } = input.detail;
  if (input.when && !entryTest(input.when)({ event, profile, journey: input.journey })) return 'filtered';
  const executionInput: ExecutionInput = { journey: input.journey, profileId: profile.id, event, profile, sends: {} };
  return executions.start({
    stateMachineArn: input.stateMachineArn,
    name: executionName(input.journey.id, profile.id, event.id),
    input: executionInput,
  });
}
