import type { AudienceJob, AudienceJobs, Bus, BusEntry, Clock, EventStore, ExportSink, ProfileScanner, ProfileStore } from '../ports';
import { INGEST_SOURCE } from '../../statemachines/compile/rule';
import { evaluateAudiences, historyWindow, updateAudiences, type AudienceSet } from './audiences';
import { publicProfile } from './privacy';
import { viewOf, type Profile } from './profile';
import { DomainError } from './errors';
import { IMPORTS, importPage, type ImportDeps } from './import-jobs';
import { learnPage, type LearnDeps } from './model-jobs';
import { ENGAGEMENT_JOB, learnJobKey, modelOfLearnJob } from './learn-jobs';

// Batch work over every profile, a page at a time, resumable: the job item keeps the scan cursor and the
// pages done. A slice that dies half-way is run again from the saved cursor: the part it wrote is written
// again under the same name with the same content, and membership events keep their ids.

export class UnknownAudienceError extends DomainError {}
export class JobConflictError extends DomainError {}

export interface JobRequest {
  kind: 'export' | 'pass' | 'import' | 'learn';
  jobId: string;
  audienceId?: string;
  /** A learning job: the model (models/<id>.json), or `engagement` for the send-time pattern alone. */
  modelId?: string;
  /** An import's file: a key under imports/ in the exports bucket. */
  source?: string;
  /** Evaluation time; defaults to when the job starts. */
  at?: string;
}

export interface JobDeps {
  audiences: AudienceSet;
  scanner: ProfileScanner;
  jobs: AudienceJobs;
  sink: ExportSink;
  profiles: ProfileStore;
  events: EventStore;
  bus: Bus;
  clock: Clock;
  pageSize: number;
  /** Pages per slice: bounds one invocation's time and memory. */
  pagesPerSlice: number;
  /** Profile imports: lines to events, and the ingest queue that takes them. */
  imports?: Omit<ImportDeps, 'sink'>;
  /** Learning: the workspace's models, where trained ones are kept, and what re-reads audiences after a score. */
  learning?: Pick<LearnDeps, 'models' | 'learned' | 'afterScore'>;
}

export const partName = (n: number) => `part-${String(n).padStart(5, '0')}.jsonl`;
const prefixOf = (job: Pick<AudienceJob, 'audienceId' | 'jobId'>) => `exports/${job.audienceId}/${job.jobId}`;

/** One page of an export: the members, as JSON lines. */
async function exportPage(job: AudienceJob, profiles: Profile[], deps: JobDeps): Promise<{ lines: string[]; count: number }> {
  const target = deps.audiences.audiences.find((a) => a.id === job.audienceId)!;
  // The audiences it refers to are evaluated with it, in order; the history read once per profile.
  const needed = new Set([target.id, ...target.dependsOn]);
  const at = Date.parse(job.at);
  const lines: string[] = [];
  for (const profile of profiles) {
    const history = await historyWindow(deps.events, profile.id, { seconds: target.historySeconds, types: [...target.events] }, at);
    if (evaluateAudiences(deps.audiences, profile, history, at, needed).get(target.id)) {
      const { id, identities, attributes } = publicProfile(profile);
      lines.push(JSON.stringify({ id, identities, attributes }));
    }
  }
  return { lines, count: lines.length };
}

/** One page of the membership pass: time-based audiences re-evaluated, entries and exits published. */
async function passPage(job: AudienceJob, profiles: Profile[], deps: JobDeps): Promise<{ count: number }> {
  const affected = deps.audiences.timeDependent();
  const entries: BusEntry[] = [];
  let count = 0;
  const clock: Clock = { now: () => new Date(job.at) };
  for (const profile of profiles) {
    const { profile: stored, events } = await updateAudiences(profile, affected, `pass:${job.jobId}`, { ...deps, clock });
    for (const e of events) {
      await deps.events.appendHistory(e);
      entries.push({ source: INGEST_SOURCE, detailType: e.type, detail: { event: e, profile: viewOf(stored) } });
    }
    count += events.length;
  }
  if (entries.length > 0) await deps.bus.publish(entries);
  return { count };
}

/** Runs the next slice of a job (creating it on the first call) and returns it; `done` when finished. */
export async function runJobSlice(request: JobRequest, deps: JobDeps): Promise<AudienceJob & { done: boolean }> {
  // A slice's output is the next slice's input: a learning job's model is then in its audienceId.
  const modelId = request.modelId ?? modelOfLearnJob(request.audienceId ?? '');
  const audienceId = request.kind === 'pass' ? '*' : request.kind === 'import' ? IMPORTS : request.kind === 'learn' ? learnJobKey(modelId) : request.audienceId!;
  if (request.kind === 'export' && !deps.audiences.audiences.some((a) => a.id === audienceId)) throw new UnknownAudienceError(`no audience "${audienceId}"`);
  if (request.kind === 'learn' && modelId !== ENGAGEMENT_JOB && !deps.learning?.models().some((m) => m.id === modelId)) throw new UnknownAudienceError(`no model "${modelId}" in models/`);
  let job = await deps.jobs.get(audienceId, request.jobId);
  if (!job) {
    const now = deps.clock.now().toISOString();
    const fresh: AudienceJob = { kind: request.kind, jobId: request.jobId, audienceId, status: 'running', pages: 0, count: 0, parts: [], startedAt: now, at: request.at ?? now, ...(request.kind === 'import' ? { source: request.source!, offset: 0, lines: 0, duplicates: 0, errors: 0, location: deps.sink.locate(`imports/${request.jobId}`) } : {}) };
    if (request.kind === 'export') fresh.location = deps.sink.locate(prefixOf(fresh));
    if (!(await deps.jobs.save(fresh, undefined))) job = await deps.jobs.get(audienceId, request.jobId);
    else job = fresh;
  }
  for (let slice = 0; job!.status === 'running' && slice < deps.pagesPerSlice; slice += 1) {
    const current: AudienceJob = job!;
    if (current.kind === 'import') {
      if (!deps.imports) throw new Error('this function does not import profiles');
      const next = await importPage(current, { sink: deps.sink, ...deps.imports });
      const saved = { ...next, pages: current.pages + 1, ...(next.status === 'done' ? { finishedAt: deps.clock.now().toISOString() } : {}) };
      if (!(await deps.jobs.save(saved, current.pages))) throw new JobConflictError(`job ${current.jobId} was advanced by another worker`);
      job = saved;
      continue;
    }
    const page = await deps.scanner.page(current.cursor, deps.pageSize);
    if (current.kind === 'learn') {
      if (!deps.learning) throw new Error('this function does not learn');
      const learned = await learnPage(current, page, { ...deps.learning, events: deps.events, profiles: deps.profiles, sink: deps.sink, clock: deps.clock });
      if (!(await deps.jobs.save(learned, current.pages))) throw new JobConflictError(`job ${current.jobId} was advanced by another worker`);
      job = learned;
      continue;
    }
    const next: AudienceJob = { ...current, pages: current.pages + 1 };
    if (current.kind === 'export') {
      const { lines, count } = await exportPage(current, page.profiles, deps);
      if (lines.length > 0) {
        const name = partName(next.pages);
        await deps.sink.write(`${prefixOf(current)}/${name}`, `${lines.join('\n')}\n`);
        next.parts = [...current.parts, name];
      }
      next.count = current.count + count;
    } else {
      next.count = current.count + (await passPage(current, page.profiles, deps)).count;
    }
    if (page.cursor) next.cursor = page.cursor;
    else {
      delete next.cursor;
      next.status = 'done';
      next.finishedAt = deps.clock.now().toISOString();
      if (current.kind === 'export') {
        const manifest = { audienceId: current.audienceId, jobId: current.jobId, at: current.at, count: next.count, parts: next.parts };
        await deps.sink.write(`${prefixOf(current)}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
      }
    }
    if (!(await deps.jobs.save(next, current.pages))) throw new JobConflictError(`job ${current.jobId} was advanced by another worker`);
    job = next;
  }
  return { ...job!, done: job!.status === 'done' };
}
