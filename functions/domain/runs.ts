import type { Predicate, Reentry } from '../../statemachines';
import { parseDuration } from '../../statemachines/schema/duration';
import { isCountState, stepOfState } from '../../statemachines/contract';
import { systemClock, type ClaimPolicy, type Clock, type Executions, type ReportCounters, type ResumeSchedules, type Run, type RunStore, type WaitingStore } from '../ports';
import { cancelParked, consumableBy } from './continuations';
import { metric, runEnded } from './reports';
import type { BusDetail } from './events';
import { cachedPredicate, readPath } from './predicate';

// A profile's runs of a journey: who is in which journey, so that re-entry rules, exit criteria and goals
// can act on the right executions. Runs are keyed by profile, journey and correlation value.

const NO_CORRELATION = '-';

/** The value the run is keyed by: the correlateBy value of the event, the event id ("always"), or none. */
export function correlationOf(event: BusDetail['event'], options: { correlateBy?: string; reentry?: Reentry }): string | undefined {
  if (options.correlateBy) {
    const value = readPath({ event }, options.correlateBy);
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    return undefined;
  }
  return options.reentry === 'always' ? event.id : NO_CORRELATION;
}

export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The journey's re-entry rule as a claim applies it. */
export function claimPolicy(reentry: Reentry | undefined, now: Date): ClaimPolicy {
  if (reentry === 'never') return { mode: 'never' };
  if (typeof reentry === 'object') {
    const after = parseDuration(reentry.after);
    return { mode: 'notWhileIn', enteredBefore: new Date(now.getTime() - (after.ok ? after.seconds : 0) * 1000).toISOString() };
  }
  return { mode: 'notWhileIn' }; // the default, and "always" (each event its own run)
}

/**
 * What a claim's condition decides, given the run record it would replace: the store writes the same as a
 * conditional write; arbitration asks it of every candidate journey beforehand. The same run claiming again (a
 * retry) is always admitted.
 */
export function claimAdmits(existing: Run | undefined, policy: ClaimPolicy, executionName: string): boolean {
  if (!existing || existing.executionName === executionName) return true;
  if (policy.mode === 'never' || existing.status !== 'ended') return false;
  return policy.enteredBefore === undefined || existing.enteredAt <= policy.enteredBefore;
}

/** Claims the run for an entering event under the journey's re-entry policy. */
export function claimRun(store: RunStore, run: Run, reentry: Reentry | undefined, now: Date) {
  return store.claim(run, claimPolicy(reentry, now));
}

const matches = (events: Array<{ event: string; where?: Predicate }>, detail: BusDetail, journeyId: string) =>
  events.some((e) => e.event === detail.event.type && (!e.where || cachedPredicate(e.where)({ event: detail.event, profile: detail.profile, journey: { id: journeyId } })));

export interface RunEventInput {
  kind: 'exit' | 'goal';
  journey: { id: string };
  events: Array<{ event: string; where?: Predicate }>;
  correlateBy?: string;
  goal?: { within: string; exit: boolean };
  detail: BusDetail;
}

async function runsFor(input: RunEventInput, store: RunStore): Promise<Run[]> {
  // With correlateBy, an event that carries the value acts on that run only; one without, on all of them.
  const correlation = input.correlateBy ? correlationOf(input.detail.event, { correlateBy: input.correlateBy }) : undefined;
  return store.runs(input.detail.event.profileId, input.journey.id, correlation);
}

export interface StopDeps {
  runs: RunStore;
  executions: Executions;
  reports?: ReportCounters;
  clock?: Clock;
  /** Express runs: their parked continuations, cancelled by an exit. */
  waits?: WaitingStore;
  schedules?: ResumeSchedules;
}

/**
 * Stops a run. Standard: its execution is stopped, and its status change ends the run. Express (executions
 * cannot be stopped): the run is ended here, then its parked continuation cancelled; a segment under way finds
 * the run ended and parks nowhere (or cancels its own park, if it parked meanwhile).
 */
async function stopRun(run: Run, cause: string, deps: StopDeps): Promise<void> {
  if (run.mode !== 'express') return deps.executions.stop(run.executionArn, cause);
  const clock = deps.clock ?? systemClock;
  const now = clock.now();
  if (await deps.runs.end(run, 'ABORTED', now.toISOString())) await deps.reports?.count(`${run.executionName}#stopped`, now, runEnded({ id: run.journeyId, version: run.version }, 'ABORTED', undefined));
  for (const item of deps.waits ? await deps.waits.forProfile(run.profileId) : []) {
    if (item.key.startsWith(`${run.executionName}#`) && item.continuation && consumableBy(item.continuation, { kind: 'cancel' })) {
      await cancelParked(item, { waits: deps.waits!, schedules: deps.schedules!, ...(deps.reports ? { reports: deps.reports } : {}), clock });
    }
  }
}

/** exitOn: stops the profile's running runs of the journey. Returns how many. */
export async function exitRuns(input: RunEventInput, deps: StopDeps): Promise<number> {
  if (!matches(input.events, input.detail, input.journey.id)) return 0;
  const running = (await runsFor(input, deps.runs)).filter((r) => r.status === 'running');
  for (const run of running) {
    await stopRun(run, `exitOn ${input.detail.event.type}`, deps);
    await deps.reports?.count(`${run.executionArn}#exit`, deps.clock?.now() ?? new Date(), [metric(input.journey, undefined, `exited:${input.detail.event.type}`)]);
  }
  return running.length;
}

/** goal: records a conversion for each run entered within the window before the event; may end the run. */
export async function reachGoal(input: RunEventInput, deps: StopDeps): Promise<number> {
  if (!input.goal || !matches(input.events, input.detail, input.journey.id)) return 0;
  const within = parseDuration(input.goal.within);
  const at = Date.parse(input.detail.event.timestamp);
  const since = at - (within.ok ? within.seconds : 0) * 1000;
  let converted = 0;
  for (const run of await runsFor(input, deps.runs)) {
    const entered = Date.parse(run.enteredAt);
    if (entered > at || entered < since) continue;
    const now = await deps.runs.convert(run, input.detail.event.timestamp);
    if (now) converted += 1;
    // Keyed by run, counted when this event converted it (now, or on a try before this retry).
    // A campaign's send counts for its arm (the report's step); a journey's run for the journey.
    if (now || run.convertedAt === input.detail.event.timestamp) await deps.reports?.count(`${run.executionArn}#goal`, deps.clock?.now() ?? new Date(), [metric(input.journey, run.arm, 'goal')]);
    if (input.goal.exit && run.status === 'running') await stopRun(run, `goal ${input.detail.event.type}`, deps);
  }
  return converted;
}

/** The end of an execution, as Step Functions reports it (EventBridge "Execution Status Change"). */
export interface ExecutionEnded {
  executionArn: string;
  status: string;
  /** The execution's input, as a JSON string. */
  input: string;
  stopDate?: number;
}

/** `resolve` gives the profile that holds the run now: a merge moves runs to the surviving profile. */
export async function endRun(
  ended: ExecutionEnded,
  store: RunStore,
  now: Date,
  resolve: (profileId: string) => Promise<string> = async (id) => id,
  report?: { reports: ReportCounters; executions: Executions },
  waits?: WaitingStore,
): Promise<boolean> {
  const input = JSON.parse(ended.input) as { profileId?: string; journey?: { id: string; version?: string }; run?: { id?: string; correlation: string } };
  if (!input.profileId || !input.journey || !input.run) return false; // not a journey execution
  const endedAt = ended.stopDate ? new Date(ended.stopDate).toISOString() : now.toISOString();
  const profileId = await resolve(input.profileId);
  await store.end({ profileId, journeyId: input.journey.id, correlation: input.run.correlation, executionName: input.run.id ?? ended.executionArn.split(':').at(-1)! }, ended.status, endedAt);
  // A run that ended while waiting for an event (stopped by an exit criterion, a goal, erasure, a timeout) waits
  // no more: its waits go, so neither the data export nor an arriving event finds them.
  for (const wait of waits ? await waits.forProfile(profileId) : []) if (wait.key.startsWith(`${input.run.id ?? ended.executionArn}#`)) await waits!.remove(wait);
  if (report) {
    // A run stopped or failed while waiting leaves the step it was in (the report's "waiting now"). Not when it was
    // in a count state: leaving a waiting step is counted by its own count task (an event that both resumes the
    // wait and exits the journey reaches it first), and an entry not yet counted has nothing to leave.
    const last = ended.status === 'SUCCEEDED' ? undefined : await report.executions.lastState?.(ended.executionArn);
    await report.reports.count(`${ended.executionArn}#end`, now, runEnded(input.journey, ended.status, last === undefined || isCountState(last) ? undefined : stepOfState(last)));
  }
  return true;
}
