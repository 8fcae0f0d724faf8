import type { CloseTask, ParkTask, TallyMark } from '../../statemachines/contract';
import type { BusDetail } from './events';
import type { Clock, Continuation, CounterChange, Executions, JourneyVersions, ProfileStore, ReportCounters, ResumeSchedules, RunRef, RunStore, WaitingItem, WaitingRef, WaitingStore } from '../ports';
import { runEnded, stepEntered, stepLeft } from './reports';
import { loadProfile } from './profile-writes';
import { earlierEvent, type LookBackDeps } from './look-back';

// Express journeys: a run is a chain of short executions (segments). A segment ends by parking the run (a
// continuation record, resumed once by its schedule or by the awaited event, whichever comes first) or by
// closing it. The counts of the segment's visits ride on the write that ends it: no Lambda call per count.

export type { ParkTask, CloseTask };

/** The state data fields every segment carries (the starter writes them; see ExecutionInput). */
interface SegmentState {
  journey: { id: string; version?: string };
  profileId: string;
  run: { id: string; correlation: string; segment: number; enteredAt?: string };
  tally?: Record<string, TallyMark>;
  received?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface ContinuationDeps extends LookBackDeps {
  waits: WaitingStore;
  runs: RunStore;
  schedules: ResumeSchedules;
  executions: Executions;
  profiles: ProfileStore;
  reports?: ReportCounters;
  /** The journey versions a resumed segment starts on (a wait since entry may resume at once). */
  versions?: JourneyVersions;
  clock: Clock;
}

/**
 * The counts a segment's tally marks add, from its count states. A segment that does not park (its run was
 * ended meanwhile) holds no one in the waiting step it entered last.
 */
export function tallyCounts(state: SegmentState, parks = true): CounterChange[] {
  return Object.values(state.tally ?? {}).flatMap((m) => (m.count === 'entered' ? stepEntered(state.journey, m.step, m.waits && parks) : stepLeft(state.journey, m.step)));
}

/** A parked run's continuation key: the run and the segment that parked (one park per segment). */
export const continuationKey = (state: SegmentState) => `${state.run.id}#${state.run.segment}`;

const segmentName = (runId: string, segment: number) => `${runId}-${segment}`;

/** What consumes a continuation: its schedule when due, an awaited event, a cancel (exit criteria, goals). */
export type Trigger = { kind: 'due' } | { kind: 'event'; event: BusDetail['event'] } | { kind: 'cancel' };
const triggerName = (t: Trigger) => (t.kind === 'event' ? `event:${t.event.id}` : t.kind);

/**
 * Whether a trigger may consume the continuation: it is parked, or this same trigger consumed it before (a
 * redelivery). The store's conditional write (WaitingStore.consume) is the atomic form of this rule; this one
 * spares the write where it would fail.
 */
export const consumableBy = (c: Continuation, trigger: Trigger) => c.status === 'parked' || c.resumedBy === triggerName(trigger);

function dueOf(task: ParkTask, now: Date): Date {
  if (task.event !== undefined) return new Date(now.getTime() + (task.timeoutSeconds ?? 0) * 1000);
  if (task.seconds !== undefined) return new Date(now.getTime() + task.seconds * 1000);
  const at = Date.parse(task.until ?? '');
  return Number.isNaN(at) ? now : new Date(Math.max(at, now.getTime()));
}

/** The run record a segment belongs to, under the profile that holds the person now. */
const runOf = (state: SegmentState, profileId: string): RunRef => ({ profileId, journeyId: state.journey.id, correlation: state.run.correlation, executionName: state.run.id });

/**
 * Whether the segment's run still runs (an exit or erasure may have ended it during the segment). Two reads per
 * park (before and after its write) cost less than a condition check inside the write (2 write units).
 */
async function running(state: SegmentState, profileId: string, runs: RunStore): Promise<boolean> {
  const [run] = await runs.runs(profileId, state.journey.id, state.run.correlation);
  return run?.executionName === state.run.id && run.status === 'running';
}

/**
 * Parks the run: writes the continuation with the segment's counts, then schedules its resume. A segment run
 * twice parks once and schedules the same resume again (the schedule is idempotent). A run ended meanwhile
 * (exit criteria, erasure) is not parked: its counts are written, and it waits nowhere.
 */
export async function park(task: ParkTask, deps: ContinuationDeps): Promise<{ parked: boolean; due?: string }> {
  const state = task.state as SegmentState;
  const now = deps.clock.now();
  // Under the profile that holds the person now: a merge may have happened since the run entered.
  const profile = await loadProfile(deps.profiles, state.profileId);
  const profileId = profile?.id ?? state.profileId;
  if (!(await running(state, profileId, deps.runs))) {
    await deps.reports?.count(`${continuationKey(state)}#ended`, now, tallyCounts(state, false));
    return { parked: false };
  }
  const due = dueOf(task, now);
  const { tally: _tally, resume: _resume, ...kept } = state;
  const continuation: Continuation = {
    runId: state.run.id,
    segment: state.run.segment,
    machine: task.machine,
    journey: state.journey,
    stepId: task.stepId,
    due: due.toISOString(),
    resume: task.resume,
    state: kept,
    parkedAt: now.toISOString(),
    status: 'parked',
  };
  const item = {
    profileId,
    eventType: task.event ?? '',
    key: continuationKey(state),
    journeyId: state.journey.id,
    stepId: task.stepId,
    ...(task.where ? { where: task.where } : {}),
    // Kept a while after its due time: the tombstone of a consumed one turns away a late duplicate.
    expiresAt: Math.floor(due.getTime() / 1000) + 7 * 86_400,
    continuation,
  };
  await deps.waits.park(item, tallyCounts(state), now);
  // An exit may have ended the run between the check above and the write: then this park cancels itself
  // (whichever of the two cancels it counts the leaving, once).
  if (!(await running(state, profileId, deps.runs))) {
    await cancelParked(item, deps);
    return { parked: false };
  }
  await deps.schedules.schedule(item, due);
  // ...or between the write and the schedule: its cancel may have come before the schedule existed.
  if ((await deps.waits.get(item))?.continuation?.status !== 'parked') {
    await deps.schedules.cancel(item);
    return { parked: false };
  }
  // A wait since entry: an event that came before it parked resumes it now, as the event would have.
  if (task.since === 'entry' && task.event !== undefined && profile && state.run.enteredAt) {
    if (!deps.events) throw new Error('a wait since entry needs the event history');
    const earlier = await earlierEvent(profile, { event: task.event, ...(task.where ? { where: task.where } : {}), journeyId: state.journey.id }, state.run.enteredAt, deps.events);
    if (earlier && (await resume(item, { kind: 'event', event: earlier }, deps)) === 'resumed') return { parked: false };
  }
  return { parked: true, due: continuation.due };
}

/**
 * Resumes a parked run for one trigger: the due schedule (`due`) or an event (`event:<id>`). The conditional
 * consume decides, once, which trigger wins; the winner starts the next segment (a trigger delivered again
 * starts it again: the segment's effects are keyed by run, step and visit, so nothing happens twice).
 */
export async function resume(
  ref: WaitingRef,
  trigger: Exclude<Trigger, { kind: 'cancel' }>,
  deps: Pick<ContinuationDeps, 'waits' | 'executions' | 'schedules'> & { versions?: JourneyVersions },
): Promise<'resumed' | 'gone'> {
  const item = await deps.waits.consume(ref, triggerName(trigger));
  const c = item?.continuation;
  if (!c) return 'gone';
  const state = c.state as SegmentState;
  const target = trigger.kind === 'due' ? c.resume.due : c.resume.event!;
  const segment = c.segment + 1;
  const input = {
    ...state,
    run: { ...state.run, segment },
    tally: {},
    resume: { state: target },
    ...(trigger.kind === 'event' ? { received: { ...state.received, [c.stepId]: trigger.event } } : {}),
  };
  // On the version the run entered, where its journey stack recorded it; else the machine the segment ran on.
  const version = state.journey.version ? await deps.versions?.arnOf(state.journey.id, state.journey.version) : undefined;
  await deps.executions.start({ stateMachineArn: version ?? c.machine, name: segmentName(c.runId, segment), input });
  if (trigger.kind === 'event') await deps.schedules.cancel(ref);
  return 'resumed';
}

/**
 * Cancels a parked run whose run has ended (exit criteria, goal): consumed for good, its schedule deleted, and
 * the profile counted out of the step it waited in. The count is keyed by the continuation, so the exit and
 * a park racing it count it once. Returns whether this call cancelled it.
 */
export async function cancelParked(item: WaitingItem, deps: Pick<ContinuationDeps, 'waits' | 'schedules' | 'reports' | 'clock'>): Promise<boolean> {
  const c = (await deps.waits.consume(item, triggerName({ kind: 'cancel' })))?.continuation;
  if (!c) return false;
  await deps.schedules.cancel(item);
  await deps.reports?.count(`${c.runId}#${c.segment}#cancel`, deps.clock.now(), stepLeft(c.journey, c.stepId));
  return true;
}

/**
 * Closes the run at the end of its last segment: the run record ends (once), with the outcome counted and the
 * segment's tally. A run ended already (an exit during the segment) gets its tally counted, nothing more.
 */
export async function close(task: CloseTask, deps: ContinuationDeps): Promise<{ closed: boolean }> {
  const state = task.state as SegmentState;
  const now = deps.clock.now();
  const profileId = (await loadProfile(deps.profiles, state.profileId))?.id ?? state.profileId;
  const tally = tallyCounts(state);
  const run = runOf(state, profileId);
  // The segment's counts and the run's outcome ride on the run's end; a close run again finds it ended.
  const ended = await deps.runs.end(run, task.status, now.toISOString(), deps.reports ? [...tally, ...runEnded(state.journey, task.status, undefined)] : undefined);
  // Ended already: by this close, run before (nothing more), or by an exit during the segment (ABORTED): then
  // the segment's visits still count, once.
  if (!ended && tally.length > 0) {
    const [record] = await deps.runs.runs(profileId, state.journey.id, state.run.correlation);
    if (record?.executionName === state.run.id && record.outcome === 'ABORTED') await deps.reports?.count(`${continuationKey(state)}#close`, now, tally);
  }
  return { closed: ended };
}
