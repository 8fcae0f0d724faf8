import type { CounterChange } from './ports-reports';
import type { Predicate, Reentry } from '../statemachines';

// The ports of a profile's runs through journeys: the executions that run them, what waits (task tokens,
// parked Express runs and their resume schedules), and the run records re-entry rules and exits act on.

export interface StartRequest {
  stateMachineArn: string;
  name: string;
  input: unknown;
}

export interface Executions {
  /** Starts an execution by name; a name already used is not an error (at-least-once delivery upstream). */
  start(request: StartRequest): Promise<'started' | 'already-started'>;
  /** Stops an execution; one already stopped is not an error. */
  stop(executionArn: string, cause: string): Promise<void>;
  /** The name of the last state the execution entered (where a stopped run was). */
  lastState?(executionArn: string): Promise<string | undefined>;
}

/** A profile waiting in a waitForEvent step: what it waits for, and the task token that resumes it. */
export interface WaitingItem {
  profileId: string;
  /** The awaited event type; '' for a parked run that only a schedule resumes. */
  eventType: string;
  /** Unique per waiting task: run id and step id (Standard), run id and segment (a parked Express run). */
  key: string;
  /** Standard: the task token that resumes the execution. */
  taskToken?: string;
  /** Express: the parked run. */
  continuation?: Continuation;
  journeyId: string;
  stepId: string;
  where?: import('../statemachines').Predicate;
  /** Epoch seconds after which the item is dropped (the wait has timed out by then). */
  expiresAt: number;
}

/** A parked Express run: where and how it resumes, and the state data its next segment starts from. */
export interface Continuation {
  runId: string;
  /** The segment that parked (the next one is segment + 1). */
  segment: number;
  /** The state machine of the version the run entered. */
  machine: string;
  journey: { id: string; version?: string };
  /** The step that parked (the report's "waiting" step). */
  stepId: string;
  /** When a schedule resumes it, ISO 8601. */
  due: string;
  /** The state the next segment starts at: when due, and on the awaited event. */
  resume: { due: string; event?: string };
  state: Record<string, unknown>;
  /** When it parked, ISO 8601 (the local scheduler scales the time from here to due). */
  parkedAt: string;
  status: 'parked' | 'resumed' | 'cancelled';
  /** What consumed it: 'due', 'event:<id>', 'cancel'; a trigger delivered again finds itself here. */
  resumedBy?: string;
}

export type WaitingRef = Pick<WaitingItem, 'profileId' | 'eventType' | 'key'>;

export interface WaitingStore {
  file(item: WaitingItem): Promise<void>;
  /**
   * Parks a run: the continuation and the counts of its segment in one transaction. False when this segment
   * parked before (an Express execution run twice): nothing is written again.
   */
  park(item: WaitingItem & { continuation: Continuation }, counts: readonly CounterChange[], at: Date): Promise<boolean>;
  /**
   * Consumes a parked run for one trigger, exactly once: the item if it was parked (or consumed by this same
   * trigger, delivered again), else undefined.
   */
  consume(ref: WaitingRef, by: string): Promise<WaitingItem | undefined>;
  get(ref: WaitingRef): Promise<WaitingItem | undefined>;
  /** The items of one profile waiting for one event type (a key lookup, never a scan). */
  forEvent(profileId: string, eventType: string): Promise<WaitingItem[]>;
  /** Every item of one profile (a query of its partition). */
  forProfile(profileId: string): Promise<WaitingItem[]>;
  remove(item: WaitingItem): Promise<void>;
}

/** Where each journey version runs: a parked run resumes on the version it entered. */
export interface JourneyVersions {
  /** The version's state machine ARN (qualified), if its journey stack recorded it. */
  arnOf(journeyId: string, version: string): Promise<string | undefined>;
}

/** One-time schedules that resume parked runs (EventBridge Scheduler on AWS). */
export interface ResumeSchedules {
  /** Idempotent: the same parked run scheduled again is one schedule. */
  schedule(ref: WaitingRef, at: Date): Promise<void>;
  /** Deletes it; one already gone is not an error. */
  cancel(ref: WaitingRef): Promise<void>;
}

export interface TaskTokens {
  /** Resumes a waiting task; 'gone' when it timed out or was resumed already (Step Functions takes one answer). */
  succeed(taskToken: string, output: unknown): Promise<'resumed' | 'gone'>;
}

/** A profile's run of a journey (one per correlation value). */
export interface Run {
  profileId: string;
  journeyId: string;
  correlation: string;
  executionName: string;
  executionArn: string;
  status: 'running' | 'ended';
  /** Express runs are chains of segments, parked between them; Standard ones (no mode) one execution. */
  mode?: 'express';
  /** The journey version it entered (the report's counts are by version). */
  version?: string;
  enteredAt: string;
  endedAt?: string;
  outcome?: string;
  convertedAt?: string;
  /** A campaign's send (journey `campaign-<id>`, correlation the campaign run): the report step of its arm. */
  arm?: string;
  /** The journey's category (rules.json journeyCaps count by it). */
  category?: string;
}

/** A journey an event type may enter, as the entry directory lists it (arbitration). */
export interface EntryCandidate {
  journeyId: string;
  priority: number;
  when?: Predicate;
  reentry?: Reentry;
  correlateBy?: string;
}

/** The journeys with a priority an event type enters (journey stacks write them on deploy). */
export interface EntryDirectory {
  candidates(eventType: string): Promise<EntryCandidate[]>;
}

/** Names a run record: the profile's run of a journey for a correlation value, and the run's id. */
export type RunRef = Pick<Run, 'profileId' | 'journeyId' | 'correlation' | 'executionName'>;

export type ClaimOutcome = 'claimed' | 'in-journey' | 'no-reentry';

/** A journey's re-entry rule as a claim applies it (functions/domain/runs.ts claimPolicy). */
export type ClaimPolicy = { mode: 'notWhileIn' | 'never'; enteredBefore?: string };

export interface RunStore {
  /**
   * Records a new run if the re-entry policy allows it (a conditional write): `notWhileIn` allows it when the
   * previous run ended, `never` only for a first run, `enteredBefore` when the previous one ended and entered
   * before that time. The same execution claiming again (a retry) always succeeds.
   */
  claim(run: Run, policy: ClaimPolicy): Promise<ClaimOutcome>;
  /** The profile's runs of a journey, or the one run for a correlation value. */
  runs(profileId: string, journeyId: string, correlation?: string): Promise<Run[]>;
  /** Every run record of the profile (arbitration and journey caps read them at entry). */
  profileRuns(profileId: string): Promise<Run[]>;
  /**
   * Marks the run ended, if it is this run (by its id, the first execution's name) and still running; with
   * counts, they are written in the same transaction (the end is their marker).
   */
  end(run: RunRef, outcome: string, endedAt: string, counts?: readonly CounterChange[]): Promise<boolean>;
  /** Records the conversion once; false if it was recorded already. */
  convert(run: RunRef, at: string): Promise<boolean>;
}
