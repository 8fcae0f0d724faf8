import type { Outline } from '../../statemachines/render/outline';
import { feedbackOf, type FeedbackKind } from '../../statemachines/channels';
import type { CountTask, JourneyRef } from '../../statemachines/contract';
import type { Clock, CounterChange, CounterRow, ReportCounters } from '../ports';

// Live reports, the pure part: what each counting point adds (names of metrics) and how the hour buckets and
// gauges of a journey become its report. The counting points: the starter (entered), the count tasks the
// compiler puts before steps without a function of their own, the send function (sent, skipped by reason,
// failed), the runs function (completed, failed, exited by criterion, goal), the feedback function (delivered,
// opened, clicked, bounced, complained).

/** Journey-level metrics are kept under this step name. */
const RUN = '-';

export const journeyScope = (journeyId: string) => `J#${journeyId}`;

export type { JourneyRef };

export function metric(journey: JourneyRef, step: string | undefined, name: string, by = 1, gauge = false): CounterChange {
  return { scope: journeyScope(journey.id), key: `${journey.version ?? RUN}|${step ?? RUN}|${name}`, by, ...(gauge ? { gauge: true } : {}) };
}

/** An entry event that entered no one (re-entry rules, correlation, an input too large): counted once per event. */
export const runNotEntered = (journey: JourneyRef, reason: string) => [metric(journey, undefined, `notEntered:${reason}`)];

/** A profile enters the journey: counted once per execution. */
export const runEntered = (journey: JourneyRef) => [metric(journey, undefined, 'entered'), metric(journey, undefined, 'inFlight', 1, true)];

/** How an execution ended, from Step Functions' status; a stopped one also leaves the step it was in. */
export function runEnded(journey: JourneyRef, status: string, lastStep: string | undefined): CounterChange[] {
  const outcome = status === 'SUCCEEDED' ? 'completed' : status === 'ABORTED' ? 'stopped' : 'failed';
  return [metric(journey, undefined, outcome), metric(journey, undefined, 'inFlight', -1, true), ...(outcome !== 'completed' && lastStep ? [metric(journey, lastStep, 'waiting', -1, true)] : [])];
}

/** A step is entered (a visit); a waiting step holds the profile until it leaves. */
export const stepEntered = (journey: JourneyRef, step: string, waits: boolean) => [metric(journey, step, 'entered'), ...(waits ? [metric(journey, step, 'waiting', 1, true)] : [])];
export const stepLeft = (journey: JourneyRef, step: string) => [metric(journey, step, 'waiting', -1, true)];

/**
 * A message a journey sent to a profile a campaign enrolled (its entry event is campaign.enrolled): counted for
 * the campaign's run too, so the run reports what went out, apart from how many it enrolled.
 */
export function campaignSendOutcome(entryEvent: unknown, status: 'sent' | 'skipped' | 'deferred' | 'failed'): CounterChange[] {
  const e = entryEvent as { type?: unknown; properties?: { campaign?: unknown; run?: unknown } } | null;
  if (e?.type !== 'campaign.enrolled' || typeof e.properties?.campaign !== 'string' || typeof e.properties.run !== 'string' || status === 'deferred') return [];
  return [metric({ id: `campaign-${e.properties.campaign}` }, undefined, `journey-${status}:${e.properties.run}`)];
}

/** What the journey sent for a campaign's run, from the campaign's counter rows. */
export function journeySends(rows: readonly CounterRow[], runId: string): { sent: number; failed: number } {
  const total = { sent: 0, failed: 0 };
  for (const row of rows) {
    if (row.hour === 'ALL') continue; // counters are summed over their hours (ALL rows hold gauges)
    const name = partsOf(row.key)[2];
    if (name === `journey-sent:${runId}`) total.sent += row.n;
    if (name === `journey-failed:${runId}`) total.failed += row.n;
  }
  return total;
}

/** A message step's outcome. */
export function sendOutcome(journey: JourneyRef, step: string, status: 'sent' | 'skipped' | 'deferred' | 'failed', reason?: string, locale?: string): CounterChange[] {
  const outcome = metric(journey, step, status === 'skipped' ? `skipped:${reason ?? 'other'}` : status);
  // Which variant of the template went (a locale tag, or default).
  return status === 'sent' && locale ? [outcome, metric(journey, step, `locale:${locale}`)] : [outcome];
}

/**
 * A message's report groups (`timing.best`, `timing.held`, `channel.email`): each counts its sends and its
 * feedback apart under the step, as `group:<group>:<metric>`.
 */
export function groupMetrics(journey: JourneyRef, step: string, groups: readonly string[], name: string): CounterChange[] {
  return groups.filter((g) => /^(timing|channel)\.[A-Za-z]+$/.test(g)).map((g) => metric(journey, step, `group:${g}:${name}`));
}

/** A message's groups as its `groups` tag (SES tag values take letters, digits, `_ - . @`), and back. */
export const groupsTag = (groups: readonly string[]): string => groups.join('-');
export const tagGroups = (tag: unknown): string[] => (typeof tag === 'string' && tag !== '' ? tag.split('-') : []);

/** What a message's feedback event counts under the step that sent it: the event, and the same in each of its groups. */
export const feedbackMetrics = (journey: JourneyRef, step: string, groups: unknown, eventType: string): CounterChange[] => [
  metric(journey, step, eventType),
  ...groupMetrics(journey, step, tagGroups(groups), eventType),
];

/** The parts of a group counter's name (`group:<group>:<metric>`), or undefined for any other. */
function groupMetricOf(name: string): { group: string; counted: string } | undefined {
  if (!name.startsWith('group:')) return undefined;
  const [group = '', counted = ''] = name.slice(6).split(':');
  return { group, counted };
}

/** The delivery feedback a metric counts (`email.opened` → opened), if it is one (statemachines/channels.ts). */
export const feedbackKind = (name: string): FeedbackKind | undefined => feedbackOf(name)?.kind;

/** A counter key's parts: version, step, metric. */
export const partsOf = (key: string) => key.split('|') as [version: string, step: string, name: string];

export interface StepReport {
  entered: number;
  /** Profiles in this step now (waits and waits for an event). */
  waiting?: number;
  sent?: number;
  skipped?: Record<string, number>;
  failed?: number;
  deferred?: number;
  /** Messages sent, by the template variant that went (a locale tag, or default). */
  locales?: Record<string, number>;
  /** Delivery feedback of the step's messages, by kind. */
  feedback?: Partial<Record<FeedbackKind, number>>;
  /** By report group (send time: `timing.best` / `timing.held`; channel choice: `channel.<channel>`): sends and feedback. */
  groups?: Record<string, { sent: number; feedback: Partial<Record<FeedbackKind, number>> }>;
}

/** What the report needs of a journey (see report-shape.ts). */
export interface ReportShape {
  steps: string[];
  waiting: string[];
  outline: Outline;
}

export interface JourneyReport {
  journey: string;
  from: string;
  to: string;
  /** Versions seen in the period. */
  versions: string[];
  totals: {
    entered: number;
    completed: number;
    failed: number;
    /** Stopped by an exit criterion, by the event that stopped them. */
    exited: Record<string, number>;
    /** Stopped for any reason (exits, goals that end the run, erasure). */
    stopped: number;
    goal: number;
    /** Profiles in the journey now. */
    inFlight: number;
    /** Entry events that entered no one, by reason (in-journey, no-reentry, no-correlation, input-too-large, arbitration, journey-cap). */
    notEntered: Record<string, number>;
  };
  steps: Record<string, StepReport>;
}

/**
 * A journey's report from its counter rows: hour buckets from..to summed, gauges as they are now. `steps` lists
 * the journey's steps (every one appears, counted or not); `waiting` lists those that hold profiles.
 */
export function buildJourneyReport(journeyId: string, rows: readonly CounterRow[], period: { from: Date; to: Date; version?: string }, shape: { steps: readonly string[]; waiting: ReadonlySet<string> }): JourneyReport {
  const report: JourneyReport = {
    journey: journeyId,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    versions: [],
    totals: { entered: 0, completed: 0, failed: 0, exited: {}, stopped: 0, goal: 0, inFlight: 0, notEntered: {} },
    steps: Object.fromEntries(shape.steps.map((id) => [id, { entered: 0, ...(shape.waiting.has(id) ? { waiting: 0 } : {}) }])),
  };
  const versions = new Set<string>();
  for (const row of rows) {
    const [version, step, name] = partsOf(row.key);
    if (period.version && version !== period.version && version !== RUN) continue;
    if (version !== RUN && row.hour !== 'ALL') versions.add(version);
    if (step === RUN) {
      const t = report.totals;
      if (name === 'inFlight') t.inFlight += row.n;
      else if (name.startsWith('exited:')) t.exited[name.slice(7)] = (t.exited[name.slice(7)] ?? 0) + row.n;
      else if (name.startsWith('notEntered:')) t.notEntered[name.slice(11)] = (t.notEntered[name.slice(11)] ?? 0) + row.n;
      else if (name === 'entered' || name === 'completed' || name === 'failed' || name === 'stopped' || name === 'goal') t[name] += row.n;
      continue;
    }
    const s = (report.steps[step] ??= { entered: 0 });
    const inGroup = groupMetricOf(name);
    if (name === 'waiting') {
      if (shape.waiting.has(step)) s.waiting = (s.waiting ?? 0) + row.n;
    } else if (name === 'entered' || name === 'sent' || name === 'failed' || name === 'deferred') s[name] = (s[name] ?? 0) + row.n;
    else if (name.startsWith('skipped:')) (s.skipped ??= {})[name.slice(8)] = ((s.skipped ?? {})[name.slice(8)] ?? 0) + row.n;
    else if (name.startsWith('locale:')) (s.locales ??= {})[name.slice(7)] = ((s.locales ?? {})[name.slice(7)] ?? 0) + row.n;
    else if (inGroup) {
      const g = ((s.groups ??= {})[inGroup.group] ??= { sent: 0, feedback: {} });
      const kind = feedbackKind(inGroup.counted);
      if (inGroup.counted === 'sent') g.sent += row.n;
      else if (kind) g.feedback[kind] = (g.feedback[kind] ?? 0) + row.n;
    } else {
      const kind = feedbackKind(name);
      if (kind) (s.feedback ??= {})[kind] = (s.feedback?.[kind] ?? 0) + row.n;
    }
  }
  report.versions = [...versions].sort();
  return report;
}

/** The payload of a count task (statemachines/contract.ts). */
export type { CountTask };

/** Counts a visit of a step (or its leaving), once per execution, step and visit. */
export async function countStep(task: CountTask, deps: { reports?: ReportCounters; clock: Clock }): Promise<{ n: number }> {
  const n = (task.visits[task.stepId]?.n ?? 0) + (task.count === 'entered' ? 1 : 0);
  const changes = task.count === 'entered' ? stepEntered(task.journey, task.stepId, task.waits) : stepLeft(task.journey, task.stepId);
  await deps.reports?.count(`${task.runId}#${task.stepId}#${n}#${task.count}`, deps.clock.now(), changes);
  return { n };
}

/** A campaign's report: its runs (from their batches) and the delivery feedback of its messages. */
export function campaignReport<R extends { sent: number; failed: number; targeted: number; skipped: Record<string, number>; groups?: Record<string, number> }>(campaignId: string, runs: R[], feedbackRows: readonly CounterRow[]) {
  const feedback: Partial<Record<FeedbackKind, number>> = {};
  // Send-time groups: sends from the runs' batches, feedback from the counters (`group:<group>:<event>`).
  const groups: Record<string, { sent: number; feedback: Partial<Record<FeedbackKind, number>> }> = {};
  for (const r of runs) for (const [g, n] of Object.entries(r.groups ?? {})) (groups[g] ??= { sent: 0, feedback: {} }).sent += n;
  for (const row of feedbackRows) {
    if (row.hour === 'ALL') continue;
    const name = partsOf(row.key)[2];
    const inGroup = groupMetricOf(name);
    const kind = feedbackKind(inGroup ? inGroup.counted : name);
    if (kind && inGroup) (groups[inGroup.group] ??= { sent: 0, feedback: {} }).feedback[kind] = (groups[inGroup.group]!.feedback[kind] ?? 0) + row.n;
    else if (kind) feedback[kind] = (feedback[kind] ?? 0) + row.n;
  }
  const skipped: Record<string, number> = {};
  for (const r of runs) for (const [reason, n] of Object.entries(r.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
  return {
    campaign: campaignId,
    totals: { runs: runs.length, targeted: runs.reduce((n, r) => n + r.targeted, 0), sent: runs.reduce((n, r) => n + r.sent, 0), skipped, failed: runs.reduce((n, r) => n + r.failed, 0), feedback, ...(Object.keys(groups).length > 0 ? { groups } : {}) },
    runs,
  };
}
