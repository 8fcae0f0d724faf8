import type { AudienceJob, Clock, EventStore, ExportSink, LearnedStore, ProfileStore } from '../ports';
import type { Model } from '../../statemachines/schema/model';
import { eventsOf, historyReach, scoreOf, train, trainingRow } from './models';
import { ENGAGEMENT_DAYS, ENGAGEMENT_EVENTS, HOURS_OF_WEEK, engagementHours, isHeld } from './send-time';
import { modelOfLearnJob } from './learn-jobs';
import { knownTimeZone } from './local-time';
import { changeProfile } from './profile-writes';
import type { Profile } from './profile';
import pMap from 'p-map';

// Learning over every profile, in the jobs loop (audience-jobs.ts), a page at a time:
//   collect: each profile's history read once; a training row per model (to a part in the sink), and the
//            population's engagement by hour of week (each engaged profile weighing one);
//   fit:     at the end of the scan, the rows read back, the model trained and saved with its held-out AUC;
//   score:   a second scan writes each profile's score (only when it moved), then its audiences are re-read.
// A slice that dies is run again from the saved cursor: parts are rewritten under the same name, and a
// score write is idempotent.


export interface LearnDeps {
  models: () => readonly Model[];
  learned: LearnedStore;
  events: EventStore;
  profiles: ProfileStore;
  sink: ExportSink;
  clock: Clock;
  /** After a score moved: re-evaluates the profile's audiences (and publishes entries and exits). */
  afterScore?: (profileId: string, cause: string) => Promise<unknown>;
}

const DAY_MS = 86_400_000;
/** Profiles of a page read (and scored) at once: a page of 500 takes a 16th of the round trips' time. */
export const PROFILES_AT_ONCE = 16;
const partPrefix = (job: Pick<AudienceJob, 'audienceId' | 'jobId'>) => `models/${modelOfLearnJob(job.audienceId)}/${job.jobId}`;
const partName = (page: number) => `rows-${String(page).padStart(5, '0')}.jsonl`;

export function modelOf(job: Pick<AudienceJob, 'audienceId'>, deps: Pick<LearnDeps, 'models'>): Model | undefined {
  const id = modelOfLearnJob(job.audienceId);
  return deps.models().find((m) => m.id === id);
}

/** One page of the collect phase: rows (as JSON lines) and the page's engagement shares. */
export async function collectPage(job: AudienceJob, profiles: readonly Profile[], deps: LearnDeps): Promise<{ lines: string[]; engaged: number; shares: number[] }> {
  const model = modelOf(job, deps);
  const at = Date.parse(job.at);
  const reach = Math.max(ENGAGEMENT_DAYS * DAY_MS, model ? historyReach(model) : 0);
  const types = [...new Set([...ENGAGEMENT_EVENTS, ...(model ? eventsOf(model) : [])])];
  const shares = new Array<number>(HOURS_OF_WEEK).fill(0);
  let engaged = 0;
  const lines = await pMap(
    profiles,
    async (profile) => {
      const history = await deps.events.history(profile.id, new Date(at - reach).toISOString(), types);
      const recent = history.filter((e) => Date.parse(e.timestamp) >= at - ENGAGEMENT_DAYS * DAY_MS && Date.parse(e.timestamp) < at);
      const hours = engagementHours(recent, knownTimeZone(profile.attributes.timeZone));
      const total = hours.reduce((a, b) => a + b, 0);
      if (total > 0) {
        engaged += 1;
        hours.forEach((c, h) => (shares[h]! += c / total));
      }
      if (!model) return undefined;
      const { x, y } = trainingRow(model, profile, history, at);
      return JSON.stringify([y, isHeld(profile.id, model.id, model.heldOut) ? 1 : 0, ...x]);
    },
    { concurrency: PROFILES_AT_ONCE },
  );
  return { lines: lines.filter((l): l is string => l !== undefined), engaged, shares };
}

/** Rows a fit takes at most (a 5-minute Lambda fits 200,000 rows of a few features): an even sample beyond. */
export const MAX_TRAINING_ROWS = 200_000;
const capped = <T extends { heldOut: boolean }>(rows: T[]): T[] => {
  const cap = (list: T[], n: number) => (list.length <= n ? list : list.filter((_, i) => Math.floor((i * n) / list.length) !== Math.floor(((i - 1) * n) / list.length)));
  return [...cap(rows.filter((r) => !r.heldOut), MAX_TRAINING_ROWS), ...cap(rows.filter((r) => r.heldOut), MAX_TRAINING_ROWS / 4)];
};

/** The end of the collect phase: the pattern saved; the model trained on every part and saved. */
async function fitModel(job: AudienceJob, deps: LearnDeps): Promise<void> {
  const engagement = job.engagement!;
  const sum = engagement.shares.reduce((a, b) => a + b, 0);
  await deps.learned.savePattern({ learnedAt: job.at, profiles: engagement.profiles, pattern: engagement.shares.map((s) => (sum === 0 ? 1 / HOURS_OF_WEEK : s / sum)) });
  const model = modelOf(job, deps);
  if (!model) return;
  // The parts read side by side: a million profiles are some thousands of parts.
  const bodies = await pMap(Array.from({ length: job.collected ?? 0 }, (_, i) => i + 1), (page) => deps.sink.read(`${partPrefix(job)}/${partName(page)}`), { concurrency: PROFILES_AT_ONCE });
  const rows: Array<{ x: number[]; y: number; heldOut: boolean }> = [];
  for (const body of bodies) {
    for (const line of body.split('\n')) {
      if (!line) continue;
      const [y, held, ...x] = JSON.parse(line) as number[];
      rows.push({ x, y: y!, heldOut: held === 1 });
    }
  }
  await deps.learned.saveModel(train(model, capped(rows), Date.parse(job.at)));
}

/** One page of the score phase: each profile's score now, written when it moved. */
export async function scorePage(job: AudienceJob, profiles: readonly Profile[], deps: LearnDeps): Promise<number> {
  const model = modelOf(job, deps)!;
  const trained = await deps.learned.model(model.id);
  if (!trained) return 0;
  const at = Date.parse(job.at);
  const moved = await pMap(
    profiles,
    async (profile) => {
      const history = await deps.events.history(profile.id, new Date(at - historyReach(model)).toISOString(), eventsOf(model));
      const score = scoreOf(model, trained, profile, history, at);
      if (profile.scores?.[model.id] === score) return false;
      await changeProfile(profile.id, deps, (current, now) =>
        current.version === 0 || current.scores?.[model.id] === score ? undefined : { ...current, scores: { ...current.scores, [model.id]: score }, updatedAt: now, version: current.version + 1 },
      );
      await deps.afterScore?.(profile.id, `learn:${model.id}:${job.jobId}`);
      return true;
    },
    { concurrency: PROFILES_AT_ONCE },
  );
  return moved.filter(Boolean).length;
}

/**
 * Advances a learning job by one page of profiles (`page` comes from the scanner at the job's cursor) and
 * returns it, saved or not: the caller saves it under the pages it had.
 */
export async function learnPage(job: AudienceJob, page: { profiles: Profile[]; cursor?: string }, deps: LearnDeps): Promise<AudienceJob> {
  const next: AudienceJob = { ...job, pages: job.pages + 1 };
  if ((job.phase ?? 'collect') === 'collect') {
    const model = modelOf(job, deps);
    const { lines, engaged, shares } = await collectPage(job, page.profiles, deps);
    const before = job.engagement ?? { profiles: 0, shares: new Array<number>(HOURS_OF_WEEK).fill(0) };
    next.engagement = { profiles: before.profiles + engaged, shares: before.shares.map((s, h) => s + shares[h]!) };
    next.count = job.count + page.profiles.length;
    // A part for every page, empty or not: the fit reads rows-1..collected.
    if (model) await deps.sink.write(`${partPrefix(job)}/${partName(next.pages)}`, lines.length > 0 ? `${lines.join('\n')}\n` : '');
    next.collected = next.pages;
    if (page.cursor) return { ...next, cursor: page.cursor };
    await fitModel(next, deps);
    delete next.cursor;
    if (!modelOf(job, deps)) return { ...next, status: 'done', finishedAt: deps.clock.now().toISOString() };
    return { ...next, phase: 'score', count: 0 };
  }
  next.count = job.count + (await scorePage(job, page.profiles, deps));
  if (page.cursor) return { ...next, cursor: page.cursor };
  delete next.cursor;
  return { ...next, status: 'done', finishedAt: deps.clock.now().toISOString() };
}
