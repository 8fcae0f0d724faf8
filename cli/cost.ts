import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StateMachineDefinition } from '../statemachines';
import { invocation } from '../local/lambda';
import type { LocalRuntime } from '../local/runtime';
import { PRICES, QUOTAS } from './prices';
import { runsOf, simulate, type SimulateOptions } from './simulate';
import { dataTable } from './table';

// `jo cost`: what a journey costs per entrant on AWS, in each execution mode. The journey runs on the local
// runtime (the same functions, the same compiled definitions) for one profile; the requests it makes are
// counted (executions and the states they enter, Lambda invocations, DynamoDB capacity units, resume
// schedules, bus events, messages) and priced at list prices (cli/prices.ts). Ingesting the events is not the
// journey's cost (the ingest and apply functions are left out); message provider fees are shown apart.

/** The functions a journey's runs invoke (entry, tasks, resumes, run ends). */
const JOURNEY_FUNCTIONS = new Set(['starter', 'send', 'profile', 'wait', 'jump', 'webhook', 'decide', 'runs']);

/** Assumptions where the local runtime cannot measure AWS: stated with the figures. */
export const ASSUMPTIONS = {
  /** Billed duration of one warm invocation of a journey function (Lambda bills per millisecond). */
  lambdaMsPerInvocation: 40,
  lambdaMemoryMb: 256,
  /** How long an Express execution spends per Lambda task it calls (the invoke and the function). */
  expressMsPerTask: 50,
  /** Standard execution log events (level ALL, no execution data): 2 per state, 3 more per task, 300 bytes each. */
  logBytesPerEvent: 300,
} as const;

export interface Usage {
  runs: number;
  executions: number;
  statesEntered: number;
  expressBilledMs: number;
  logEvents: number;
  lambda: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  scheduleInvocations: number;
  busEvents: number;
  emails: number;
  texts: number;
  pushes: number;
}

type Mode = 'express' | 'standard';

const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? {}));
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const MEASURED = new Set([...WRITES, 'GetItemCommand', 'BatchGetItemCommand']);

/** Counts the capacity units of the requests made while a journey function runs. */
function countUnits(client: DynamoDBClient, usage: Usage): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = invocation.getStore()?.fn;
      const name = (context as { commandName?: string }).commandName ?? '';
      const counted = fn !== undefined && JOURNEY_FUNCTIONS.has(fn);
      const input = args.input as Record<string, any>;
      // DynamoDB (and the emulator) report what single-item and batch requests consume.
      if (counted && MEASURED.has(name)) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (!counted) return result;
      const output = result.output as Record<string, any>;
      if (MEASURED.has(name)) {
        const units = [output.ConsumedCapacity ?? []].flat().reduce((n: number, c: { CapacityUnits?: number }) => n + (c.CapacityUnits ?? 0), 0);
        if (WRITES.has(name)) usage.writeUnits += units;
        else usage.readUnits += units;
      } else if (name === 'QueryCommand' || name === 'ScanCommand') {
        usage.readUnits += Math.max(1, Math.ceil(size(output.Items) / 4096)) * (input.ConsistentRead ? 1 : 0.5);
      } else if (name === 'TransactWriteItemsCommand') {
        // Transactions cost twice: each Put by its item's size, the other parts (small counters, checks) one unit.
        for (const part of input.TransactItems as Array<{ Put?: { Item: unknown } }>) usage.writeUnits += 2 * (part.Put ? Math.ceil(size(part.Put.Item) / 1024) : 1);
      } else if (name === 'TransactGetItemsCommand') {
        usage.readUnits += 2 * (input.TransactItems as unknown[]).length;
      }
      return result;
    },
    { step: 'initialize', name: 'joCostUnits' },
  );
}

/** Runs the journey once in a mode and counts what it asked of AWS. */
export async function measureUsage(options: Omit<SimulateOptions, 'execution' | 'instrument' | 'onInvoke' | 'inspect'>, mode: Mode): Promise<Usage> {
  const usage: Usage = { runs: 0, executions: 0, statesEntered: 0, expressBilledMs: 0, logEvents: 0, lambda: {}, readUnits: 0, writeUnits: 0, scheduleInvocations: 0, busEvents: 0, emails: 0, texts: 0, pushes: 0 };
  const inspect = async (runtime: LocalRuntime) => {
    const definitions = new Map<string, StateMachineDefinition>(runtime.workspace.journeys.map((j) => [j.journey.id, j.definition]));
    const express = new Set(runtime.workspace.journeys.filter((j) => j.mode === 'express').map((j) => j.journey.id));
    for (const e of runtime.stepFunctions.executions.values()) {
      const definition = definitions.get(e.stateMachineArn.split(':').at(-1)!);
      if (!definition) continue; // campaigns' and audience jobs' machines
      const states = e.entered.map((n) => definition.States[n]);
      const tasks = states.filter((s) => s?.Type === 'Task').length;
      const waits = states.reduce((ms, s) => ms + (s?.Type === 'Wait' && s.Seconds !== undefined ? s.Seconds * 1000 : 0), 0);
      usage.executions += 1;
      usage.statesEntered += e.entered.length;
      usage.expressBilledMs += Math.max(100, Math.ceil((tasks * ASSUMPTIONS.expressMsPerTask + waits) / 100) * 100);
      // Express state machines log failures only (infra/constructs/journey-state-machine.ts); Standard, everything.
      const logs = !express.has(e.stateMachineArn.split(':').at(-1)!) || e.status === 'FAILED';
      if (logs) usage.logEvents += 2 + 2 * e.entered.length + 3 * tasks;
    }
    usage.runs = runsOf(runtime.stepFunctions).filter((r) => definitions.has(r.stateMachineArn.split(':').at(-1)!)).length;
    const outbox = (await (await fetch(`${runtime.messagingUrl}/store`)).json()) as { sms?: unknown[]; push?: unknown[] };
    usage.texts = outbox.sms?.length ?? 0;
    usage.pushes = outbox.push?.length ?? 0;
  };
  await simulate({
    ...options,
    execution: mode,
    instrument: ({ dynamodb, ses }) => {
      countUnits(dynamodb, usage);
      // Counted at the client: the SES emulator's store is shared by every runtime in the process.
      ses.middlewareStack.add(
        (next, context) => async (args) => {
          if ((context as { commandName?: string }).commandName === 'SendEmailCommand') usage.emails += 1;
          return next(args);
        },
        { step: 'initialize', name: 'joCostEmails' },
      );
    },
    onInvoke: (fn, event) => {
      if (!JOURNEY_FUNCTIONS.has(fn)) return;
      usage.lambda[fn] = (usage.lambda[fn] ?? 0) + 1;
      if (fn === 'runs' && (event as { kind?: string }).kind === 'resume') usage.scheduleInvocations += 1;
      if (fn === 'jump') usage.busEvents += 1;
    },
    inspect,
  });
  return usage;
}

export interface ModeCost {
  perService: Record<string, number>;
  /** USD for the entrants, message provider fees excluded. */
  total: number;
  providerFees: number;
  perEntrant: { executions: number; statesEntered: number; lambdaInvocations: number; readUnits: number; writeUnits: number; resumeSchedules: number };
  /** Entrants per second the default quotas allow, and what sets it. */
  startsPerSecond: { ceiling: number; boundBy: string };
}

const usd = (n: number) => Math.round(n * 100) / 100;

/** Prices a measured usage for `entrants` entrants. */
export function priceUsage(usage: Usage, mode: Mode, entrants: number): ModeCost {
  const per = (n: number) => (usage.runs === 0 ? 0 : n / usage.runs);
  const invocations = Object.values(usage.lambda).reduce((a, b) => a + b, 0);
  const lambdaGbSeconds = per(invocations) * entrants * (ASSUMPTIONS.lambdaMemoryMb / 1024) * (ASSUMPTIONS.lambdaMsPerInvocation / 1000);
  const perService: Record<string, number> = {
    stepFunctions:
      mode === 'standard'
        ? ((per(usage.statesEntered) * entrants) / 1000) * PRICES.standardPerThousandTransitions
        : (per(usage.executions) * entrants * PRICES.expressPerMillionRequests) / 1e6 + per(usage.expressBilledMs / 1000) * entrants * 0.0625 * PRICES.expressPerGbSecond,
    lambda: (per(invocations) * entrants * PRICES.lambdaPerMillionRequests) / 1e6 + lambdaGbSeconds * PRICES.lambdaArmPerGbSecond,
    dynamodb: (per(usage.writeUnits) * entrants * PRICES.dynamoWritePerMillion + per(usage.readUnits) * entrants * PRICES.dynamoReadPerMillion) / 1e6,
    scheduler: (per(usage.scheduleInvocations) * entrants * PRICES.schedulerPerMillionInvocations) / 1e6,
    eventBridge: (per(usage.busEvents) * entrants * PRICES.eventBridgePerMillionEvents) / 1e6,
    cloudWatchLogs: ((per(usage.logEvents) * entrants * ASSUMPTIONS.logBytesPerEvent) / 1e9) * PRICES.logsPerGbIngested,
  };
  const providerFees = per(usage.emails) * entrants * PRICES.sesPerEmail + per(usage.texts) * entrants * PRICES.smsPerMessageUs + (per(usage.pushes) * entrants * PRICES.pushPerMillion) / 1e6;
  // Each park makes a schedule; a due resume is a Scheduler invocation, an event resume deletes the schedule.
  const parks = Math.max(0, per(usage.executions) - 1);
  const dueResumes = per(usage.scheduleInvocations);
  const eventResumes = Math.max(0, parks - dueResumes);
  const bound = (quota: number, uses: number, what: string): Array<[number, string]> => (uses > 0 ? [[quota / uses, `${what} at ${round1(uses)} per entrant`]] : []);
  const bounds: Array<[number, string]> =
    mode === 'standard'
      ? [[QUOTAS.standardStartsPerSecond, 'StartExecution (Standard), 300 per second'], ...bound(QUOTAS.standardTransitionsPerSecond, per(usage.statesEntered), 'state transitions, 1,500 per second,')]
      : [
          [QUOTAS.expressStartsPerSecond, 'StartExecution (Express), 6,000 per second'],
          ...bound(QUOTAS.schedulerCreatesPerSecond, parks, 'EventBridge Scheduler CreateSchedule, 5,000 per second,'),
          ...bound(QUOTAS.schedulerInvocationsPerSecond, dueResumes, 'EventBridge Scheduler invocations, 1,000 per second,'),
          ...bound(QUOTAS.schedulerDeletesPerSecond, eventResumes, 'EventBridge Scheduler DeleteSchedule, 1,000 per second,'),
        ];
  const [ceiling, boundBy] = bounds.reduce((low, b) => (b[0] < low[0] ? b : low));
  return {
    perService: Object.fromEntries(Object.entries(perService).map(([k, v]) => [k, usd(v)])),
    total: usd(Object.values(perService).reduce((a, b) => a + b, 0)),
    providerFees: usd(providerFees),
    perEntrant: {
      executions: round1(per(usage.executions)),
      statesEntered: round1(per(usage.statesEntered)),
      lambdaInvocations: round1(per(invocations)),
      readUnits: round1(per(usage.readUnits)),
      writeUnits: round1(per(usage.writeUnits)),
      resumeSchedules: round1(per(usage.scheduleInvocations)),
    },
    startsPerSecond: { ceiling: Math.floor(ceiling), boundBy },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export interface CostReport {
  journey: string;
  entrants: number;
  modes: Record<Mode, ModeCost>;
  assumptions: typeof ASSUMPTIONS;
  prices: string;
}

export async function journeyCost(options: Omit<SimulateOptions, 'execution' | 'instrument' | 'onInvoke' | 'inspect'>, entrants: number): Promise<CostReport> {
  const express = await measureUsage(options, 'express');
  const standard = await measureUsage(options, 'standard');
  return {
    journey: options.journeyFile,
    entrants,
    modes: { express: priceUsage(express, 'express', entrants), standard: priceUsage(standard, 'standard', entrants) },
    assumptions: ASSUMPTIONS,
    prices: 'USD, us-east-1 list prices, on-demand (cli/prices.ts)',
  };
}

/** The default entrant: one profile with every address, entered by the journey's entry event. */
export const COST_PROFILE = { id: 'cost-1', attributes: { email: 'cost-1@example.com', firstName: 'Cost', phone: '+12065550100', timeZone: 'UTC' } };

export function formatCost(report: CostReport): string {
  const { express, standard } = report.modes;
  const services = Object.keys(express.perService);
  const money = (n: number) => `$${n.toFixed(2)}`;
  const rows = [
    ...services.map((s) => [s, money(express.perService[s]!), money(standard.perService[s]!)]),
    ['total (no provider fees)', money(express.total), money(standard.total)],
    ['message provider fees', money(express.providerFees), money(standard.providerFees)],
    ['starts per second (default quotas)', String(express.startsPerSecond.ceiling), String(standard.startsPerSecond.ceiling)],
  ];
  return [
    `${report.journey}: ${report.entrants.toLocaleString('en-US')} entrants`,
    ...dataTable(['', 'express', 'standard'], rows),
    `express start rate bound by: ${express.startsPerSecond.boundBy}`,
    `standard start rate bound by: ${standard.startsPerSecond.boundBy}`,
    `per entrant, express: ${JSON.stringify(express.perEntrant)}`,
    `per entrant, standard: ${JSON.stringify(standard.perEntrant)}`,
    `${report.prices}; assumed: ${JSON.stringify(report.assumptions)}`,
  ].join('\n') + '\n';
}
