import { createHash } from 'node:crypto';
import { runEntered, runNotEntered } from './reports';
import type { Predicate, Reentry } from '../../statemachines';
import type { Clock, EntryDirectory, Executions, RunStore, ReportCounters } from '../ports';
import { claimRun, correlationOf, executionArnOf } from './runs';
import type { BusDetail } from './events';
import { cachedPredicate } from './predicate';
import { arbitrate, brokenCap, capsFor } from './arbitration';
import type { JourneyCap } from './rules';

/** The input a journey's bus rule gives the starter: the rule's static part plus the event's detail. */
export interface StarterInput {
  journey: { id: string; version?: string };
  stateMachineArn: string;
  /** The alias executions start on (AWS: `live`, pointing at the latest version); the machine itself if none. */
  aliasArn?: string;
  when?: Predicate;
  correlateBy?: string;
  reentry?: Reentry;
  /** Express runs park between segments; the run record says so (exit criteria end them differently). */
  execution?: 'express' | 'standard';
  /** Entered by its own event (not a jump or a campaign): arbitration (with a priority) and journey caps apply. */
  via?: 'event';
  priority?: number;
  category?: string;
  /** The journey is paused: entries by jumps and campaigns are refused (counted `paused`). */
  paused?: true;
  detail: BusDetail;
}

/** The state data a journey execution starts with (the compiled ASL reads these paths). */
export interface ExecutionInput {
  journey: { id: string; version?: string };
  profileId: string;
  event: BusDetail['event'];
  profile: BusDetail['profile'];
  /** Express: the visits of the segment's count states, written when the segment parks or closes. */
  tally: Record<string, never>;
  /** The last result of each step with an effect, with its visit count: effects are keyed by visit. */
  steps: Record<string, never>;
  /** Visits of the steps the report counts with a count task: a retried count task counts once. */
  visits: Record<string, never>;
  /**
   * Which run this execution is: the profile's run of the journey for this correlation value. `id` is the name
   * of the run's first execution; every effect is keyed by it, so an Express segment run again (or resumed
   * twice) repeats no effect. `segment` counts the resumes of a parked run.
   */
  run: { id: string; correlation: string; segment: number; enteredAt: string };
}

/**
 * Deterministic and free of personal data: a hash of journey, profile and event id. The same event delivered
 * twice maps to the same name, and Step Functions refuses a second execution with it.
 */
export function executionName(journeyId: string, profileId: string, eventId: string): string {
  return createHash('sha256').update(`${journeyId}\u0000${profileId}\u0000${eventId}`).digest('hex').slice(0, 40);
}

export type StartOutcome = 'started' | 'already-started' | 'filtered' | 'no-correlation' | 'in-journey' | 'no-reentry' | 'input-too-large' | 'arbitration' | 'journey-cap' | 'paused';

/** Step Functions refuses an execution input over 256 KB. */
export const MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

export interface StartDeps {
  executions: Executions;
  runs: RunStore;
  clock: Clock;
  reports?: ReportCounters;
  /** The journeys with a priority each event type enters (arbitration). */
  entries?: EntryDirectory;
  /** rules.json journeyCaps. */
  journeyCaps?: readonly JourneyCap[];
}

/**
 * Enters the profile: the entry condition, then the run claimed under the re-entry policy (a conditional
 * write), then the execution, named deterministically so a redelivered event starts nothing new.
 */
export async function startJourney(input: StarterInput, deps: StartDeps): Promise<StartOutcome> {
  const { event, profile } = input.detail;
  if (input.when && !cachedPredicate(input.when)({ event, profile, journey: input.journey })) return 'filtered';
  const correlation = correlationOf(event, input);
  const name = executionName(input.journey.id, profile.id, event.id);
  const now = deps.clock.now();
  // Not entering for a reason the sender may not expect is counted at the journey's entry (the condition's
  // `filtered` is not: it is what the condition is for).
  const notEntered = async <O extends StartOutcome>(outcome: O): Promise<O> => {
    await deps.reports?.count(`${input.journey.id}#${name}#not-entered`, now, runNotEntered(input.journey, outcome));
    return outcome;
  };
  if (input.paused) return notEntered('paused');
  if (correlation === undefined) return notEntered('no-correlation');
  const executionInput: ExecutionInput = { journey: input.journey, profileId: profile.id, event, profile, tally: {}, steps: {}, visits: {}, run: { id: name, correlation, segment: 0, enteredAt: now.toISOString() } };
  const refused = input.via === 'event' ? await arbitration(input, name, now, deps) : undefined;
  if (refused) return notEntered(refused);
  // Retrying would not help: refuse before claiming the run, so the profile is not left marked as in it.
  if (Buffer.byteLength(JSON.stringify(executionInput)) > MAX_EXECUTION_INPUT_BYTES) return notEntered('input-too-large');
  const claim = await claimRun(
    deps.runs,
    {
      profileId: profile.id,
      journeyId: input.journey.id,
      correlation,
      executionName: name,
      executionArn: executionArnOf(input.stateMachineArn, name),
      status: 'running',
      enteredAt: now.toISOString(),
      ...(input.execution === 'express' ? { mode: 'express' as const } : {}),
      ...(input.journey.version ? { version: input.journey.version } : {}),
      ...(input.category ? { category: input.category } : {}),
    },
    input.reentry,
    now,
  );
  if (claim !== 'claimed') return notEntered(claim);
  const started = await deps.executions.start({ stateMachineArn: input.aliasArn ?? input.stateMachineArn, name, input: executionInput });
  // Counted after the start, keyed by execution: a redelivery that finds it started counts what a crash missed.
  await deps.reports?.count(`${input.journey.id}#${name}#entered`, now, runEntered(input.journey));
  return started;
}

/**
 * Another journey wins this event (a higher priority, arbitrated the same way by every starter the event
 * reaches), or an entry would break a journey cap: read from the profile's run records, only when needed.
 */
async function arbitration(input: StarterInput, name: string, now: Date, deps: StartDeps): Promise<'arbitration' | 'journey-cap' | undefined> {
  const arbitrated = input.priority !== undefined && deps.entries !== undefined;
  const capped = capsFor(deps.journeyCaps ?? [], input.category).length > 0;
  if (!arbitrated && !capped) return undefined;
  const { event, profile } = input.detail;
  const runs = await deps.runs.profileRuns(profile.id);
  if (arbitrated) {
    const winner = arbitrate(await deps.entries!.candidates(event.type), input.detail, runs, now, (journeyId) => executionName(journeyId, profile.id, event.id));
    // Not listed yet (a journey deployed a moment ago): it competes from its listing on.
    if (winner !== undefined && winner !== input.journey.id) return 'arbitration';
  }
  return brokenCap(deps.journeyCaps ?? [], input.category, runs, now, name) ? 'journey-cap' : undefined;
}
