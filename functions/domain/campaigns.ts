import { JUMP_SOURCE, JUMP_TYPE } from '../../statemachines/compile/rule';
import type { Audience, Campaign } from '../../statemachines';
import type { ArmOutcome, Bus, BusEntry, CampaignRun, CampaignRuns, Clock, EventStore, ExportSink, InterestIndex, LearnedStore, ProfileScanner, ProfileStore, RunStore } from '../ports';
import { isHeld } from './send-time';
import { bestTimeOf } from './profile-time';
import { windowSeconds } from '../../statemachines/schema/send-window';
import { armOf, armsOf, HOLDOUT, type Arm } from './experiments';
import { newRun } from './campaign-runs';
import { compileAudiences, evaluateAudiences, historyWindow, type AudienceSet } from './audiences';
import { DomainError, PermanentSendError, SendThrottledError } from './errors';
import { WEEKDAYS, knownTimeZone, nextLocalTime, waitTimestamp } from './local-time';
import { pacer } from './pacer';
import { viewOf, type Profile } from './profile';
import { loadProfile } from './profile-writes';
import { sendMessageStep, type SendDeps } from './send-message';

// Campaign runs (statemachines/campaigns.ts): prepare the recipients as parts grouped by send time, give the
// state machine each send time in turn, send a part in a paced batch. Every send is keyed by (campaign, run,
// profile) in the send ledger, so a batch run twice, or a whole run restarted, sends each profile once.

export class UnknownCampaignError extends DomainError {}
/** A batch refused because its run is paused or cancelled (the state machine waits, then looks again). */
export class RunHeldError extends DomainError {}
/** The provider kept throttling: the batch is retried later (the sends done are in the ledger). */
export class CampaignThrottledError extends DomainError {}

export interface CampaignDeps {
  campaigns: (id: string) => Campaign | undefined;
  /** The workspace's audiences, in dependency order. */
  audiences: () => readonly Audience[];
  runs: CampaignRuns;
  scanner: ProfileScanner;
  profiles: ProfileStore;
  events: EventStore;
  sink: ExportSink;
  send: SendDeps;
  bus: Bus;
  clock: Clock;
  pageSize: number;
  pagesPerSlice: number;
  /** Batches at once, at most (default 50; the local runtime uses fewer: one process serves every call). */
  maxConcurrency?: number;
  /** The provider's send rate (SES MaxSendRate), when known: a run never goes faster. */
  sendQuota?: () => Promise<number | undefined>;
  sleep?: (ms: number) => Promise<void>;
  /** A campaign with a goal records each recipient's arm and time here, where the goal event finds it. */
  assignments?: RunStore;
  /** A fan-out's run reads its recipients here. */
  interests?: InterestIndex;
  /** Send-time optimisation: the population's engagement pattern. */
  learned?: Pick<LearnedStore, 'pattern'>;
}

const PER_BATCH_RATE = 20;
const IN_FLIGHT = 8;
const MAX_CONCURRENCY = 50;

function campaignOf(id: string, deps: CampaignDeps): Campaign {
  const campaign = deps.campaigns(id);
  if (!campaign) throw new UnknownCampaignError(`no campaign "${id}"`);
  return campaign;
}

const audienceCache = new WeakMap<Campaign, { set: AudienceSet; target: string }>();
/** The campaign's audience: one of the workspace's, or its own `where` compiled with them. */
function recipientsOf(campaign: Campaign, deps: CampaignDeps) {
  let cached = audienceCache.get(campaign);
  if (!cached) {
    const own = campaign.where ? [{ id: `campaign-${campaign.id}`, where: campaign.where }] : [];
    cached = { set: compileAudiences([...deps.audiences(), ...own]), target: campaign.audience ?? `campaign-${campaign.id}` };
    audienceCache.set(campaign, cached);
  }
  return cached;
}

export const partKey = (run: Pick<CampaignRun, 'campaignId' | 'runId'>, slot: string, page: number, chunk: number) =>
  `campaigns/${run.campaignId}/${run.runId}/${slot.replace(/[:.]/g, '')}/part-${String(page).padStart(5, '0')}-${chunk}.jsonl`;

/**
 * Members per part: what a batch sends in four minutes at its pace, so a batch stays inside the 5-minute limits
 * of an Express child and of its Lambda (a 1-a-second campaign gets parts of 240).
 */
export function partSize(rateLimit: number, pageSize: number): number {
  const pace = rateLimit / Math.max(1, Math.min(MAX_CONCURRENCY, Math.ceil(rateLimit / PER_BATCH_RATE)));
  return Math.max(1, Math.min(pageSize, Math.floor(pace * 240)));
}

/**
 * The send time of a profile: the run's start, or the next `localTime` where the profile is (on `localDays`
 * only, or on `localDate`: a date already past there goes at once). The same on AWS and locally: the run's
 * preparation computes it, whatever started the run.
 */
export function slotOf(campaign: Pick<Campaign, 'localTime' | 'localDays' | 'localDate'>, profile: Pick<Profile, 'attributes'>, startedAt: Date): string {
  if (!campaign.localTime) return waitTimestamp(startedAt);
  const zone = knownTimeZone(profile.attributes.timeZone);
  if (campaign.localDate) {
    const [year, month, day] = campaign.localDate.split('-').map(Number) as [number, number, number];
    const date = Date.UTC(year, month - 1, day);
    // From the moment the date begins anywhere (UTC+14), the next localTime on its weekday is on that date.
    const at = nextLocalTime(new Date(date - 14 * 3_600_000), campaign.localTime, zone, [WEEKDAYS[new Date(date).getUTCDay()]!]);
    return waitTimestamp(at < startedAt ? startedAt : at);
  }
  return waitTimestamp(nextLocalTime(startedAt, campaign.localTime, zone, campaign.localDays));
}

/**
 * With `sendTime: "best"`: the recipient's best hour within the window from the run's start (send-time.ts), so
 * recipients fall into at most one slot per hour of the window.
 */
async function bestSlot(campaign: Campaign, profile: Profile, startedAt: Date, deps: CampaignDeps): Promise<string> {
  return (await bestTimeOf(profile, { now: startedAt, withinSeconds: windowSeconds(campaign.within), held: heldAtStart(campaign, profile.id) }, deps)).at;
}

/** Whether a recipient of a best-time campaign is in the share sent at the run's start (`sendTimeHoldout`). */
const heldAtStart = (campaign: Campaign, profileId: string) => isHeld(profileId, `campaign-${campaign.id}:message`, campaign.sendTimeHoldout ?? 0);

/** Prepares a slice of pages; `done` once every recipient is in a part. */
export async function prepareRun(input: { campaignId: string; runId: string }, deps: CampaignDeps): Promise<{ done: boolean; slot: string; targeted: number }> {
  const campaign = campaignOf(input.campaignId, deps);
  let run = await deps.runs.get(input.campaignId, input.runId);
  if (!run) {
    const fresh = newRun(input.campaignId, input.runId, 'schedule', deps.clock.now().toISOString());
    run = (await deps.runs.save(fresh)) ? fresh : await deps.runs.get(input.campaignId, input.runId);
  }
  const startedAt = new Date(run!.startedAt);
  for (let slice = 0; !run!.prepared && slice < deps.pagesPerSlice; slice += 1) {
    const current: CampaignRun = run!;
    let members: Profile[];
    let cursor: string | undefined;
    if (current.profileIds) {
      // The API's list: pages of ids, each profile read (following merges); unknown ids are left out.
      const ids = current.profileIds.slice(current.pages * deps.pageSize, (current.pages + 1) * deps.pageSize);
      members = (await Promise.all(ids.map((id) => loadProfile(deps.profiles, id)))).filter((p): p is Profile => p !== undefined);
      cursor = (current.pages + 1) * deps.pageSize < current.profileIds.length ? 'more' : undefined;
    } else if (current.fanOut) {
      // A fan-out: the profiles the interest index names for the catalog event's value, within the window.
      if (!deps.interests) throw new DomainError('a fan-out run reads the interest index');
      const page = await deps.interests.page(current.fanOut.journeyId, current.fanOut.value, current.fanOut.since, current.cursor, deps.pageSize);
      members = (await Promise.all(page.profileIds.map((id) => loadProfile(deps.profiles, id)))).filter((p): p is Profile => p !== undefined);
      cursor = page.cursor;
    } else {
      const { set, target } = recipientsOf(campaign, deps);
      const audience = set.audiences.find((a) => a.id === target)!;
      const needed = new Set([target, ...audience.dependsOn]);
      const page = await deps.scanner.page(current.cursor, deps.pageSize);
      members = [];
      for (const profile of page.profiles) {
        const history = await historyWindow(deps.events, profile.id, { seconds: audience.historySeconds, types: [...audience.events] }, startedAt.getTime());
        if (evaluateAudiences(set, profile, history, startedAt.getTime(), needed).get(target)) members.push(profile);
      }
      cursor = page.cursor;
    }
    const bySlot = new Map<string, string[]>();
    for (const m of members) {
      const slot = campaign.sendTime === 'best' ? await bestSlot(campaign, m, startedAt, deps) : slotOf(campaign, m, startedAt);
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), m.id]);
    }
    const slots = current.slots.map((s) => ({ ...s, parts: [...s.parts] }));
    const size = partSize(campaign.rateLimit, deps.pageSize);
    for (const [at, ids] of [...bySlot].sort(([a], [b]) => a.localeCompare(b))) {
      for (let chunk = 0; chunk * size < ids.length; chunk += 1) {
        const key = partKey(current, at, current.pages + 1, chunk);
        // Written before the run records it: a rerun of this page writes the same key with the same lines.
        await deps.sink.write(key, `${ids.slice(chunk * size, (chunk + 1) * size).map((id) => JSON.stringify({ id })).join('\n')}\n`);
        const slot = slots.find((s) => s.at === at);
        if (slot) slot.parts.push(key);
        else slots.push({ at, parts: [key] });
      }
    }
    slots.sort((a, b) => a.at.localeCompare(b.at));
    const next: CampaignRun = { ...current, slots, pages: current.pages + 1, targeted: current.targeted + members.length, version: current.version + 1 };
    if (cursor && cursor !== 'more') next.cursor = cursor;
    else delete next.cursor;
    if (!cursor) {
      next.prepared = true;
      if (next.status === 'preparing') next.status = 'running';
    }
    if (!(await deps.runs.save(next))) throw new DomainError(`run ${current.runId} was changed by another worker`);
    run = next;
  }
  return { done: run!.prepared, slot: '', targeted: run!.targeted };
}

/**
 * The send time after `after` ('' for the first) and its parts, with the fan-out's concurrency and each batch's
 * pace (messages per second) so that together they keep the campaign's rate and the provider's quota.
 */
export async function nextSlot(input: { campaignId: string; runId: string; after?: string }, deps: CampaignDeps) {
  const campaign = campaignOf(input.campaignId, deps);
  const run = await deps.runs.get(input.campaignId, input.runId);
  if (!run || run.status === 'cancelled' || run.status === 'failed') return { done: true as const };
  const slot = run.slots.find((s) => s.at > (input.after ?? ''));
  if (!slot) return { done: true as const };
  const quota = (await deps.sendQuota?.()) ?? Infinity;
  const rate = Math.min(campaign.rateLimit, quota);
  const concurrency = Math.max(1, Math.min(deps.maxConcurrency ?? MAX_CONCURRENCY, Math.ceil(rate / PER_BATCH_RATE), slot.parts.length));
  return { done: false as const, at: slot.at, slot: slot.at, parts: slot.parts, concurrency, pace: rate / concurrency };
}

/** Sends to the members of one part, at `pace` a second. Throws RunHeldError while the run is paused or cancelled. */
export async function runBatch(input: { campaignId: string; runId: string; slot?: string; part: string; pace: number }, deps: CampaignDeps): Promise<Omit<import('../ports').BatchOutcome, 'part'>> {
  const campaign = campaignOf(input.campaignId, deps);
  const check = async () => {
    const run = await deps.runs.get(input.campaignId, input.runId);
    if (!run || run.status !== 'running') throw new RunHeldError(`run ${input.runId} is ${run?.status ?? 'unknown'}`);
    return run;
  };
  const run = await check();
  const ids = (await deps.sink.read(input.part))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { id: string }).id);
  const outcome: Omit<import('../ports').BatchOutcome, 'part'> = { targeted: ids.length, ...(campaign.journey ? { enrolled: 0 } : {}), sent: 0, skipped: {}, failed: 0 };
  const wait = pacer(input.pace, deps.sleep);
  const enrol: BusEntry[] = [];
  // Sends start at the pace; a few may be in flight at once, so a slow provider call does not slow the pace.
  const inFlight = new Set<Promise<void>>();
  const start = async (work: () => Promise<void>) => {
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const p = work().finally(() => inFlight.delete(p));
    inFlight.add(p);
    p.catch(() => undefined); // seen by Promise.race / Promise.all below; not an unhandled rejection meanwhile
  };
  // The send's key in the ledger, and the name of its goal record: one per campaign, run and profile.
  const sendKey = (profileId: string) => `campaign:${campaign.id}:${run.runId}:${profileId}`;
  const arms = armsOf(campaign);
  if (arms) outcome.arms = Object.fromEntries(arms.map((a) => [a.id, { assigned: 0, sent: 0, skipped: 0, failed: 0 }]));
  for (const [i, profileId] of ids.entries()) {
    if (i > 0 && i % 50 === 0) await check();
    const arm = arms ? armOf(arms, campaign.id, profileId) : undefined;
    if (arm) {
      outcome.arms![arm.id]!.assigned += 1;
      if (campaign.goal) await assign(profileId, arm);
      if (arm.id === HOLDOUT) {
        outcome.skipped[HOLDOUT] = (outcome.skipped[HOLDOUT] ?? 0) + 1;
        continue;
      }
    }
    if (campaign.journey) {
      // Enrolments keep the pace too (a fan-out's thousands enter at the rate, not in one burst), ten a publish.
      await wait();
      const profile = await loadProfile(deps.profiles, profileId);
      if (!profile) continue;
      const event = { id: `campaign-${run.runId}-${profile.id}`.slice(0, 128), type: 'campaign.enrolled', profileId: profile.id, timestamp: deps.clock.now().toISOString(), properties: { campaign: campaign.id, run: run.runId, ...(run.context ?? {}) } };
      enrol.push({ source: JUMP_SOURCE, detailType: JUMP_TYPE, detail: { event, profile: viewOf(profile), target: campaign.journey } });
      // Enrolled, not sent: what the journey sends is counted as it sends (campaignSendOutcome).
      outcome.enrolled! += 1;
      if (enrol.length >= 10) await deps.bus.publish(enrol.splice(0));
      continue;
    }
    await wait();
    await start(() => sendOne(profileId, arm));
  }
  await Promise.all(inFlight);
  if (enrol.length > 0) await deps.bus.publish(enrol);
  await deps.runs.recordBatch(input.campaignId, input.runId, { part: input.part, ...outcome });
  return outcome;

  /** Where the goal event will find this send: a run record of `campaign-<id>`, one per campaign run. */
  async function assign(profileId: string, arm: Arm): Promise<void> {
    if (!deps.assignments) throw new DomainError('a campaign with a goal needs the assignments store');
    const executionName = sendKey(profileId);
    const at = deps.clock.now().toISOString();
    const record = { profileId, journeyId: `campaign-${campaign.id}`, correlation: run.runId, executionName, executionArn: executionName, status: 'ended' as const, enteredAt: at, endedAt: at, arm: arm.step };
    await deps.assignments.claim(record, { mode: 'never' });
  }

  async function sendOne(profileId: string, arm?: Arm): Promise<void> {
    const message = arm?.message ?? campaign.message!;
    const tally = (key: keyof ArmOutcome) => {
      if (arm) outcome.arms![arm.id]![key] += 1;
    };
    const task = {
      channel: message.channel,
      stepId: arm?.step ?? 'message',
      template: message.template,
      journey: { id: `campaign-${campaign.id}` },
      runId: sendKey(profileId),
      profileId,
      event: { type: 'campaign', properties: run.context ?? {} },
      steps: {},
      context: run.context ?? {},
      // The send time it is for: quiet hours are judged at it, even on a clock that is behind it.
      ...(input.slot && !Number.isNaN(Date.parse(input.slot)) ? { notBefore: input.slot } : {}),
      ...(campaign.sendTime ? { timing: heldAtStart(campaign, profileId) ? ('held' as const) : ('best' as const) } : {}),
    };
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await sendMessageStep(task, deps.send);
        tally(result.status === 'sent' ? 'sent' : 'skipped');
        if (result.status === 'sent') {
          outcome.sent += 1;
          if (task.timing) (outcome.groups ??= {})[`timing.${task.timing}`] = (outcome.groups?.[`timing.${task.timing}`] ?? 0) + 1;
        }
        // Quiet hours are for journeys; a campaign that must respect local time uses localTime.
        else if (result.status === 'deferred') outcome.skipped['quiet-hours'] = (outcome.skipped['quiet-hours'] ?? 0) + 1;
        else outcome.skipped[result.reason ?? 'skipped'] = (outcome.skipped[result.reason ?? 'skipped'] ?? 0) + 1;
        break;
      } catch (error) {
        if (error instanceof PermanentSendError) {
          tally('failed');
          outcome.failed += 1;
          break;
        }
        if (error instanceof SendThrottledError && attempt < 4) {
          await (deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))))(200 * 2 ** attempt);
          continue;
        }
        throw new CampaignThrottledError((error as Error).message, { cause: error });
      }
    }
  }
}

/** After the fan-out stopped: paused (wait), running (a failure: try again, three times), or over. */
export async function runStatus(input: { campaignId: string; runId: string; error?: string }, deps: CampaignDeps): Promise<{ status: string }> {
  for (;;) {
    const run = await deps.runs.get(input.campaignId, input.runId);
    if (!run) return { status: 'failed' };
    if (run.status !== 'running' || !input.error || input.error === RunHeldError.name) return { status: run.status };
    const failures = run.failures + 1;
    const next: CampaignRun = { ...run, failures, ...(failures >= 3 ? { status: 'failed' as const, finishedAt: deps.clock.now().toISOString() } : {}), version: run.version + 1 };
    if (await deps.runs.save(next)) return { status: next.status };
  }
}

export async function finishRun(input: { campaignId: string; runId: string }, deps: CampaignDeps): Promise<{ status: string }> {
  for (;;) {
    const run = await deps.runs.get(input.campaignId, input.runId);
    if (!run) return { status: 'failed' };
    if (run.status !== 'running' && run.status !== 'paused') return { status: run.status };
    const next: CampaignRun = { ...run, status: 'done', finishedAt: deps.clock.now().toISOString(), version: run.version + 1 };
    if (await deps.runs.save(next)) return { status: next.status };
  }
}
