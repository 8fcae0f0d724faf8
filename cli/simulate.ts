import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { parseDuration } from '../statemachines';
import { startLocalRuntime, type LocalOptions, type LocalRuntime } from '../local/runtime';
import type { LocalStepFunctions, RunView } from '../local/stepfunctions';
import { dataTable } from './table';

// `jo simulate`: one profile through the workspace's journeys on the local runtime (in memory, free ports),
// time compressed, then what happened: the path of each execution, the states billed, the messages sent.

const TIME_SCALE = 0.000001; // a year of waiting passes in about 32 s

const profileFile = z.strictObject({ id: z.string().min(1), attributes: z.record(z.string(), z.unknown()).default({}) });
const eventsFile = z.array(
  z.strictObject({
    type: z.string(),
    properties: z.record(z.string(), z.unknown()).default({}),
    attributes: z.record(z.string(), z.unknown()).optional(),
    after: z.string().optional().describe('When it happens, after the first event: an ISO 8601 duration.'),
  }),
);

export interface SimulationReport {
  /** One per run: a Standard execution, or the segments of an Express run joined. */
  executions: Array<{ journey: string; version: string; mode: 'express' | 'standard'; status: string; path: string[]; statesBilled: number; segments: number }>;
  messages: Array<{ to: string; subject: string; text?: string }>;
}

export interface SimulateOptions {
  journeyFile: string;
  workspace?: string;
  /** A profile file, or the profile itself. */
  profileFile?: string;
  profile?: z.input<typeof profileFile>;
  /** An events file, or the events themselves; without either, the journey's entry event. */
  eventsFile?: string;
  events?: z.input<typeof eventsFile>;
  /** Runs the journeys in this mode (default: each journey's own). */
  execution?: 'express' | 'standard';
  /** What `jo cost` counts: the runtime's clients and invocations, and the runtime before it stops. */
  instrument?: LocalOptions['instrument'];
  onInvoke?: LocalOptions['onInvoke'];
  inspect?: (runtime: LocalRuntime) => void | Promise<void>;
}

export async function simulate(options: SimulateOptions): Promise<SimulationReport> {
  const journeyFile = resolve(options.journeyFile);
  const profile = profileFile.parse(options.profile ?? JSON.parse(readFileSync(options.profileFile!, 'utf8')));
  const runtime = await startLocalRuntime({
    ...(options.execution ? { execution: options.execution } : {}),
    ...(options.instrument ? { instrument: options.instrument } : {}),
    ...(options.onInvoke ? { onInvoke: options.onInvoke } : {}),
    workspace: options.workspace ?? dirname(dirname(journeyFile)),
    apiPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    messagingPort: 0,
    timeScale: TIME_SCALE,
    logLevel: 'SILENT',
  });
  try {
    const journey = runtime.workspace.journeys.find((j) => resolve(runtime.workspace.root, j.file) === journeyFile)!.journey;
    const entryEvent = journey.entry.event;
    if (!options.eventsFile && !options.events && entryEvent === undefined) throw new Error(`${journey.id} has no entry event (jumps and campaigns enter it): simulate the journey that jumps into it, or give --events`);
    const given = options.events ?? (options.eventsFile ? JSON.parse(readFileSync(options.eventsFile, 'utf8')) : undefined);
    const events = given ? eventsFile.parse(given) : [{ type: entryEvent!, properties: {} }];
    const post = (body: unknown) =>
      fetch(`${runtime.apiUrl}/events`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => {
        if (r.status !== 202) throw new Error(`the API refused an event: ${await r.text()}`);
      });
    await post({ id: 'simulate-profile', type: 'simulate.profile', profileId: profile.id, attributes: profile.attributes, properties: {} });
    const started = Date.now();
    for (const [i, event] of events.entries()) {
      const after = event.after ? parseDuration(event.after) : undefined;
      if (after && !after.ok) throw new Error(`events[${i}].after: ${after.reason}`);
      const due = started + (after?.ok ? after.seconds * 1000 * TIME_SCALE : 0);
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      await post({ id: `simulate-${i}`, type: event.type, profileId: profile.id, properties: event.properties, ...(event.attributes ? { attributes: event.attributes } : {}) });
    }
    await runtime.idle();
    await options.inspect?.(runtime);
    const store = (await (await fetch(`${runtime.mailUrl}/store`)).json()) as { emails: Array<{ destination: { to: string[] }; subject: string; body: { text?: string } }> };
    return {
      executions: runsOf(runtime.stepFunctions).map((e) => ({
        journey: e.stateMachineArn.split(':').at(-1)!,
        version: e.version,
        mode: e.segments === undefined ? ('standard' as const) : ('express' as const),
        status: e.status,
        path: e.states,
        // Express bills requests and duration, not transitions.
        statesBilled: e.segments === undefined ? e.entered.length : 0,
        segments: e.segments ?? 1,
      })),
      messages: store.emails.map((m) => ({ to: m.destination.to.join(', '), subject: m.subject, ...(m.body.text ? { text: m.body.text } : {}) })),
    };
  } finally {
    await runtime.stop();
  }
}

/** The runs in the runner: each Express run once (its segments `<run id>-<n>` joined), each Standard execution. */
export function runsOf(stepFunctions: LocalStepFunctions): RunView[] {
  const names = new Set([...stepFunctions.executions.values()].map((e) => e.name));
  const segment = (name: string) => /-\d+$/.test(name) && names.has(name.replace(/-\d+$/, ''));
  return [...stepFunctions.executions.values()].filter((e) => !segment(e.name)).map((e) => stepFunctions.run(e.name)!);
}

export function formatReport(report: SimulationReport): string {
  const lines: string[] = [];
  for (const e of report.executions) {
    lines.push(`journey ${e.journey} (version ${e.version}): ${e.status}, ${e.mode === 'standard' ? `${e.statesBilled} states billed` : `express, ${e.segments} execution${e.segments === 1 ? '' : 's'}`}`);
    lines.push(`  path: ${e.path.join(' -> ')}`);
  }
  if (report.executions.length === 0) lines.push('no journey started');
  lines.push('', `messages: ${report.messages.length}`);
  lines.push(...dataTable(['to', 'subject'], report.messages.map((m) => [m.to, m.subject])));
  return `${lines.join('\n')}\n`;
}
