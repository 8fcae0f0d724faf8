import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

type JSONValue = Parameters<StateMachine['run']>[0];
import { randomUUID } from 'node:crypto';
import type { Executions, StartRequest, TaskTokens } from '../functions/ports';
import { CLOSE_STATE, FAILED_STATE, RESUME_STATE, isCountState, waitsFedBy, type StateMachineDefinition, type TaskState } from '../statemachines';
import type { LocalFunction } from './lambda';
import { readPath } from '../functions/domain/predicate';
import { LOCAL_REGION } from './emulators';
import { installLongTimers } from './long-timers';

// Runs the compiled ASL with aws-local-stepfunctions. Task states that invoke a Lambda by a placeholder
// (`${SendFunctionArn}`...) are bound to the same handler code, in-process. Execution names are unique per
// state machine, as on AWS, so a second start with the same name is refused.
//
// aws-local-stepfunctions has no task tokens: a `.waitForTaskToken` task is bridged here. Its handler gets a
// fresh token in place of $$.Task.Token, and the state waits until sendTaskSuccess answers it, or until its
// TimeoutSeconds (scaled like waits) pass, which fails it with States.Timeout as on AWS.

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** What Step Functions reports to EventBridge when an execution stops ("Execution Status Change"). */
export interface StatusChange {
  executionArn: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  input: string;
  stopDate: number;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The version of the definition it runs: an execution keeps it when the journey changes. */
  version: string;
  status: ExecutionStatus;
  startedAt: Date;
  /** The state data it started with. */
  input: unknown;
  stoppedAt?: Date;
  error?: string;
  output?: unknown;
  /** The states entered, in order, but the report's count tasks: the path the profile took. */
  states: string[];
  /** Every state entered, count tasks included (each is a billed transition). */
  entered: string[];
  done: Promise<void>;
  abort(): void;
}

/** A run seen whole (LocalStepFunctions.run). */
export type RunView = ExecutionRecord & { segments?: number };

interface Machine {
  name: string;
  version: string;
  /** Express executions send no status change events (as on AWS): their runs close themselves. */
  type: 'STANDARD' | 'EXPRESS';
  definition: StateMachineDefinition;
  runner: StateMachine;
  bindings: Record<string, (input: JSONValue) => Promise<JSONValue>>;
}

export const localStateMachineArn = (name: string) => `arn:aws:states:${LOCAL_REGION}:000000000000:stateMachine:${name}`;

interface PendingToken {
  resolve(output: JSONValue): void;
  timer: NodeJS.Timeout;
}

export class LocalStepFunctions implements Executions, TaskTokens {
  private readonly machines = new Map<string, Machine>();
  /** Whether a parked run (by continuation key) is still to resume: set by the runtime (its resume schedules). */
  parked: (continuationKey: string) => boolean = () => true;
  /** Every version registered, by ARN and version: a parked run resumes on the version it entered. */
  private readonly versions = new Map<string, Machine>();
  private readonly tokens = new Map<string, PendingToken>();
  private readonly listeners: Array<(change: StatusChange) => Promise<void>> = [];
  /** Per run: timestamps computed during the run for the Wait states that follow their task. */
  private readonly timestamps = new Map<string, Map<string, string>>();
  readonly executions = new Map<string, ExecutionRecord>();

  constructor(
    /** Lambda functions by the placeholder the compiler writes as FunctionName. */
    private readonly functions: Record<string, LocalFunction>,
    /** Multiplies every wait: 0.00001 lets P3D pass in about 2.6 s. */
    private readonly timeScale = 1,
    /**
     * Where Express executions are journaled (start, then end): after a crash, `recover` starts those that did
     * not end again, as AWS may run an asynchronous Express execution more than once.
     */
    private readonly journal?: string,
  ) {
    installLongTimers(); // waits and task timeouts over 24.8 days
  }

  /** Starts again the Express executions a previous process started and did not see end; returns how many. */
  async recover(): Promise<number> {
    if (!this.journal || !existsSync(this.journal)) return 0;
    const open = new Map<string, StartRequest>();
    for (const line of readFileSync(this.journal, 'utf8').split('\n')) {
      if (!line) continue;
      let entry: { start?: StartRequest; end?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue; // a line cut short by the crash
      }
      if (entry.start) open.set(entry.start.name, entry.start);
      if (entry.end) open.delete(entry.end);
    }
    writeFileSync(this.journal, [...open.values()].map((start) => `${JSON.stringify({ start })}\n`).join(''));
    for (const request of open.values()) await this.start(request);
    return open.size;
  }

  /**
   * Registers a definition under the machine's ARN, replacing the previous version for new executions;
   * executions already running keep the definition they started with, as on AWS.
   */
  register(name: string, definition: StateMachineDefinition, version: string, type: Machine['type'] = 'STANDARD'): string {
    const arn = localStateMachineArn(name);
    if (this.machines.get(arn)?.version === version) return arn;
    const known = this.versions.get(`${arn}\u0000${version}`);
    if (known) {
      this.machines.set(arn, known);
      return arn;
    }
    const bindings: Machine['bindings'] = {};
    // Tasks at the top and inside Map item processors (the library binds handlers by state name).
    const states: Array<[string, StateMachineDefinition['States'][string], StateMachineDefinition]> = [];
    const collect = (d: StateMachineDefinition) => {
      for (const [n, s] of Object.entries(d.States)) {
        states.push([n, s, d]);
        const inner = (s as { ItemProcessor?: StateMachineDefinition; Iterator?: StateMachineDefinition }).ItemProcessor ?? (s as { Iterator?: StateMachineDefinition }).Iterator;
        if (inner) collect(inner);
      }
    };
    collect(definition);
    for (const [stateName, state, owner] of states) {
      if (state.Type !== 'Task') continue;
      const fn = this.functions[String((state as TaskState).Parameters?.FunctionName)];
      if (!fn) throw new Error(`state ${stateName} of ${name} invokes ${String((state as TaskState).Parameters?.FunctionName)}, which is not bound locally`);
      const payload = (input: JSONValue) => (input as { Payload: Record<string, unknown> }).Payload;
      // The Wait this task computes the end of, as the compiler names it (statemachines/contract.ts).
      const feedsWait = waitsFedBy(stateName).find((n) => owner.States[n]?.Type === 'Wait');
      bindings[stateName] = (state as TaskState).Resource.endsWith('.waitForTaskToken')
        ? (input) => this.waitForToken(fn, payload(input), (state as TaskState).TimeoutSeconds)
        : // lambda:invoke hands the function `Payload` and returns `{ Payload }`, as the integration does.
          async (input) => {
            const result = (await fn(payload(input))) as JSONValue;
            // A task that computes when the next Wait ends (atLocalTime): remember it, to scale that wait.
            const at = (result as { at?: unknown } | null)?.at;
            const runId = payload(input).runId;
            if (feedsWait && typeof at === 'string' && at !== '' && typeof runId === 'string') this.timestamps.get(runId)?.set(feedsWait, at);
            return { Payload: result };
          };
    }
    // Validated once here (about 150 ms); runs are cheap afterwards.
    // The library annotates the definition it is given (QueryLanguage): give it a copy of its own.
    const runner = new StateMachine(structuredClone(definition) as never, { validationOptions: { checkArn: false } });
    const machine = { name, version, type, definition, runner, bindings };
    this.machines.set(arn, machine);
    this.versions.set(`${arn}\u0000${version}`, machine);
    return arn;
  }

  /**
   * Scaled wait times. Seconds and Timestamp are known at the start; a TimestampPath is read from the
   * execution's input (event data does not change; a profile value that changes mid-run is read as it was at
   * the start), unless a task computed it during the run (atLocalTime), which is read when the Wait runs.
   */
  private waitOverrides(definition: StateMachineDefinition, input: unknown, runKey: string): Record<string, number> | undefined {
    if (this.timeScale === 1) return undefined;
    const computed = new Map<string, string>();
    this.timestamps.set(runKey, computed);
    const overrides: Record<string, number> = {};
    for (const [stateName, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Wait') continue;
      // The compiler writes TimestampPath as `$.` + a dotted data path.
      const until = state.Timestamp ?? (state.TimestampPath ? readPath(input, state.TimestampPath.slice(2)) : undefined);
      const ms = state.Seconds !== undefined ? state.Seconds * 1000 : Math.max(0, Date.parse(String(until)) - Date.now() || 0);
      overrides[stateName] = Math.round(ms * this.timeScale);
    }
    const scale = this.timeScale;
    return new Proxy(overrides, {
      get(fixed, name) {
        const at = typeof name === 'string' ? computed.get(name) : undefined;
        return at ? Math.round(Math.max(0, Date.parse(at) - Date.now()) * scale) : fixed[name as string];
      },
    });
  }

  private async waitForToken(fn: LocalFunction, payload: Record<string, unknown>, timeoutSeconds = 365 * 86_400): Promise<JSONValue> {
    const taskToken = `local-${randomUUID()}`;
    const answered = new Promise<JSONValue>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.tokens.delete(taskToken);
        reject(Object.assign(new Error('the task timed out'), { name: 'States.Timeout' }));
      }, Math.round(timeoutSeconds * 1000 * this.timeScale));
      this.tokens.set(taskToken, { resolve, timer });
    });
    await fn({ ...payload, taskToken });
    return answered;
  }

  /** Called when an execution stops, like an EventBridge rule on Step Functions status changes. */
  onStatusChange(listener: (change: StatusChange) => Promise<void>): void {
    this.listeners.push(listener);
  }

  async stop(executionArn: string): Promise<void> {
    const record = this.executions.get(executionArn);
    if (record?.status === 'RUNNING') record.abort();
  }

  async lastState(executionArn: string): Promise<string | undefined> {
    return this.executions.get(executionArn)?.entered.at(-1);
  }

  async succeed(taskToken: string, output: unknown): Promise<'resumed' | 'gone'> {
    const pending = this.tokens.get(taskToken);
    if (!pending) return 'gone';
    this.tokens.delete(taskToken);
    clearTimeout(pending.timer);
    pending.resolve(JSON.parse(JSON.stringify(output)));
    return 'resumed';
  }

  /** Retry pauses scaled like waits: each retrier's first interval (backoff is not scaled further). */
  private retryOverrides(definition: StateMachineDefinition): Record<string, number[]> | undefined {
    if (this.timeScale === 1) return undefined;
    const overrides: Record<string, number[]> = {};
    for (const [stateName, state] of Object.entries(definition.States)) {
      if (state.Type === 'Task' && state.Retry) overrides[stateName] = state.Retry.map((r) => Math.round((r.IntervalSeconds ?? 1) * 1000 * this.timeScale));
    }
    return overrides;
  }

  async start(request: StartRequest): Promise<'started' | 'already-started'> {
    // A resumed segment names its version in its state data; a new run gets the latest.
    const pinned = (request.input as { journey?: { version?: string }; resume?: unknown } | null)?.resume ? (request.input as { journey?: { version?: string } }).journey?.version : undefined;
    const machine = (pinned ? this.versions.get(`${request.stateMachineArn}\u0000${pinned}`) : undefined) ?? this.machines.get(request.stateMachineArn);
    if (!machine) throw Object.assign(new Error(`no state machine ${request.stateMachineArn}`), { name: 'StateMachineDoesNotExist' });
    const executionArn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.name}`;
    if (this.executions.has(executionArn)) return 'already-started';

    const input = JSON.parse(JSON.stringify(request.input));
    const startedAt = new Date();
    const journaled = machine.type === 'EXPRESS' && this.journal !== undefined;
    if (journaled) appendFileSync(this.journal!, `${JSON.stringify({ start: { ...request, input } })}\n`);
    // Tasks name their run (the run id a journey's tasks carry), not the execution.
    const runKey = (input as { run?: { id?: string } }).run?.id ?? executionArn;
    const waitTimeOverrides = this.waitOverrides(machine.definition, input, runKey);
    const retryIntervalOverrides = this.retryOverrides(machine.definition);
    const execution = machine.runner.run(input, {
      overrides: {
        taskResourceLocalHandlers: machine.bindings,
        ...(waitTimeOverrides ? { waitTimeOverrides } : {}),
        ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
      },
      context: {
        Execution: { Id: executionArn, Name: request.name, Input: input, StartTime: startedAt.toISOString() },
        StateMachine: { Id: request.stateMachineArn, Name: machine.name },
        // Replaced by a real token in waitForToken; present so that `$$.Task.Token` resolves.
        Task: { Token: 'bridged-locally' },
      },
    });
    const states: string[] = [];
    const entered: string[] = [];
    const log = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type !== 'StateEntered') continue;
        entered.push(event.state.name);
        if (!isCountState(event.state.name)) states.push(event.state.name);
      }
    })();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: request.stateMachineArn,
      name: request.name,
      version: machine.version,
      status: 'RUNNING',
      startedAt,
      input,
      states,
      entered,
      abort: () => execution.abort(),
      done: execution.result
        .then(
          (output) => {
            Object.assign(record, { status: 'SUCCEEDED', output, stoppedAt: new Date() });
          },
          (error: Error) => {
            const aborted = error.name === 'ExecutionAbortedError';
            Object.assign(record, { status: aborted ? 'ABORTED' : 'FAILED', ...(aborted ? {} : { error: error.name }), stoppedAt: new Date() });
          },
        )
        .then(() => log.catch(() => undefined))
        .then(() => this.timestamps.delete(runKey))
        // An aborted one (the runtime stopping) did not end: the next start runs it again.
        .then(() => (journaled && record.status !== 'ABORTED' ? appendFileSync(this.journal!, `${JSON.stringify({ end: request.name })}\n`) : undefined))
        .then(() => (machine.type === 'STANDARD' ? this.notify(record, input) : undefined)),
    };
    this.executions.set(executionArn, record);
    return 'started';
  }

  private async notify(record: ExecutionRecord, input: unknown): Promise<void> {
    const change = { executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, status: record.status, input: JSON.stringify(input), stopDate: record.stoppedAt!.getTime() };
    for (const listener of this.listeners) {
      try {
        await listener(change);
      } catch (error) {
        console.warn(`status change of ${record.executionArn} not handled: ${(error as Error).message}`);
      }
    }
  }

  /**
   * A run as one record, whatever its mode: a Standard execution, or the segments of an Express run (named
   * `<run id>` then `<run id>-<segment>`) joined: the path without the Express machinery (resume, close), the
   * last segment's output, and RUNNING while the run is parked.
   */
  run(runId: string): RunView | undefined {
    const first = [...this.executions.values()].find((e) => e.name === runId);
    if (!first) return undefined;
    if (this.machines.get(first.stateMachineArn)?.type !== 'EXPRESS') return first;
    // Segment n is the execution `<run id>-<n>` of the same state machine.
    const segments = [first];
    for (let next = this.executions.get(`${first.executionArn}-1`); next; next = this.executions.get(`${first.executionArn}-${segments.length}`)) segments.push(next);
    const last = segments.at(-1)!;
    const lastState = last.entered.at(-1);
    const closed = lastState === CLOSE_STATE || lastState?.endsWith('.end');
    const machinery = (name: string) => name === RESUME_STATE || name === CLOSE_STATE || name === FAILED_STATE || name.endsWith('.end');
    return {
      ...first,
      // Parked and no longer to resume: an exit criterion, a goal or erasure cancelled it.
      status: last.status !== 'SUCCEEDED' ? last.status : closed ? (lastState === CLOSE_STATE ? 'SUCCEEDED' : 'FAILED') : this.parked(`${runId}#${segments.length - 1}`) ? 'RUNNING' : 'ABORTED',
      states: segments.flatMap((e) => e.states.filter((n) => !machinery(n))),
      entered: segments.flatMap((e) => e.entered),
      output: last.output,
      segments: segments.length,
    };
  }

  /** Aborts every running execution (shutdown). */
  stopAll(): void {
    for (const record of this.executions.values()) if (record.status === 'RUNNING') record.abort();
    for (const pending of this.tokens.values()) clearTimeout(pending.timer);
    this.tokens.clear();
  }

  /** Resolves when every execution started so far has stopped. */
  async idle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }
}
