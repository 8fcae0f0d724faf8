import { changeProfile, loadProfile } from './profile-writes';
import { TRANSACTIONAL, consentAllows, signPreferences, signUnsubscribe } from './consent';
import { knownTimeZone, nextLocalTime, waitTimestamp } from './local-time';
import type { CapCounters, Clock, Deliverers, FrequencyCap, Outgoing, ProfileStore, PushAddress, ReportCounters, SendLedger, Suppressions, TemplateStore } from '../ports';
import { ProviderError, PermanentSendError, SendInProgressError, SendThrottledError } from './errors';
import { rendererOf, type Channel } from './templates';
import { addressOf } from './addresses';
import { CHANNELS } from '../../statemachines/channels';
import type { SendTask } from '../../statemachines/contract';
import { nextVisit, type StepVisits } from './visits';
import { campaignSendOutcome, groupMetrics, groupsTag, sendOutcome, stepEntered } from './reports';
import { choiceArm, chooseChannel, seededRandom, segmentTag, type ChannelStats } from './channel-choice';
import { learningSegment } from './beta-draw';
import type { Profile } from './profile';

/**
 * The offers of the run's decide steps, for templates: `offers` (the latest decision's) and
 * `decisions.<step>.offers`.
 */
export function offersOf(steps: StepVisits): { offers: unknown[]; decisions: Record<string, { offers: unknown[] }> } {
  const decided = Object.entries(steps as Record<string, { at?: unknown; offers?: unknown } | undefined>)
    .filter(([, r]) => Array.isArray(r?.offers))
    .map(([id, r]) => [id, { at: String(r!.at ?? ''), offers: r!.offers as unknown[] }] as const);
  decided.sort((a, b) => a[1].at.localeCompare(b[1].at));
  return { offers: decided.at(-1)?.[1].offers ?? [], decisions: Object.fromEntries(decided.map(([id, r]) => [id, { offers: r.offers }])) };
}

export type { SendTask };

export interface SendResult {
  visit: number;
  status: 'sent' | 'skipped' | 'deferred';
  reason?: string;
  messageId?: string;
  /** With quiet hours: when a deferred send may go ('' otherwise; the state machine reads it either way). */
  at?: string;
  /** The template variant sent: a locale tag, or `default`. */
  locale?: string;
  /** A channel choice: the channel chosen ('' when none could be). */
  channel?: string;
}

export interface QuietHours {
  start: string;
  end: string;
  categories: readonly string[];
}

export interface SendDeps {
  profiles: ProfileStore;
  ledger: SendLedger;
  /** One deliverer per channel (statemachines/channels.ts). */
  channels: Deliverers;
  templates: TemplateStore;
  /** Addresses never to send to (erased people). */
  suppressions: Suppressions;
  /** rules.json quiet hours: sends of these categories wait, in the profile's time zone, until the window ends. */
  quietHours?: QuietHours;
  /** The deliverability guard's state: while it holds, only transactional messages go. */
  guard?: { paused(): Promise<{ paused: boolean }> };
  /** Lists that need a yes before anything is sent (rules.json consent.optIn). */
  optInLists?: ReadonlySet<string>;
  /** Where unsubscribe links point, and the key that signs their tokens (marketing emails carry them). */
  unsubscribe?: { url: string; key: () => Promise<string> };
  /** The workspace's frequency caps (rules.json) and their counters. */
  frequencyCaps?: readonly FrequencyCap[];
  caps?: CapCounters;
  /** Journeys' live report: each step's visits and outcomes (campaign sends are reported from their batches). */
  reports?: ReportCounters;
  /** Channel choice: sends and engagements per channel of a step and segment (kept with the offer stats). */
  choiceStats?: {
    read(ids: readonly string[], segment: string): Promise<Map<string, { displays: number; clicks: number }>>;
    record(eventId: string, id: string, kind: 'displays', segments: readonly string[]): Promise<void>;
  };
  clock: Clock;
  /** A fresh id for this attempt, so only the attempt that holds a claim can finish or release it. */
  attemptId(): string;
}

/**
 * How long a claim protects a send in progress. Longer than the send function's timeout (20 s): an attempt
 * still `sending` after it was killed by the timeout, so its outcome is unknown.
 */
export const CLAIM_LEASE_MS = 60_000;

/** Push feedback: tokens the provider says are dead leave the profile, so no later send tries them. */
async function dropDeadTokens(profileId: string, dead: readonly string[] | undefined, deps: SendDeps): Promise<void> {
  if (!dead || dead.length === 0) return;
  await changeProfile(profileId, deps, (current, now) => {
    const tokens = Array.isArray(current.attributes.pushTokens) ? (current.attributes.pushTokens as Array<{ token?: unknown }>) : [];
    const kept = tokens.filter((t) => !dead.includes(String(t?.token)));
    if (kept.length === tokens.length) return undefined;
    return { ...current, attributes: { ...current.attributes, pushTokens: kept }, attributeTimes: { ...current.attributeTimes, pushTokens: now }, updatedAt: now, version: current.version + 1 };
  });
}

/** The address, or the push tokens, not suppressed; undefined when none is left. */
async function withoutSuppressed(to: string | PushAddress[], suppressions: Suppressions): Promise<string | PushAddress[] | undefined> {
  if (typeof to === 'string') return (await suppressions.isSuppressed(to)) ? undefined : to;
  const allowed = await Promise.all(to.map(async (t) => !(await suppressions.isSuppressed(t.token))));
  const left = to.filter((_, i) => allowed[i]);
  return left.length > 0 ? left : undefined;
}


/**
 * Sends one message step exactly once per (execution, step, visit). The ledger is claimed before the provider
 * is called; a retry finds the outcome there. While another attempt holds a fresh claim, this one asks to be
 * retried later. A message the provider may have taken is never sent again: if an attempt died between claim
 * and outcome (its lease ran out), the send is recorded as failed instead of risking a duplicate.
 */
export async function sendMessageStep(task: SendTask, deps: SendDeps): Promise<SendResult> {
  const visit = nextVisit(task.steps, task.stepId);
  // Counted once per (execution, step, visit), whatever retries: the key is the send's own. The visit and its
  // outcome in one transaction, when the outcome is final (a deferred send is counted again when it goes).
  const count = async (status: 'sent' | 'skipped' | 'deferred' | 'failed', reason?: string, locale?: string, channel?: string) => {
    const key = `${task.runId}#${task.stepId}#${visit}`;
    const groups = status === 'sent' ? groupMetrics(task.journey, task.stepId, groupsOf(task, channel), 'sent') : [];
    const outcome = [...sendOutcome(task.journey, task.stepId, status, reason, locale), ...campaignSendOutcome(task.event, status), ...groups];
    if (status === 'deferred') await deps.reports?.count(`${key}#deferred`, deps.clock.now(), outcome);
    else await deps.reports?.count(`${key}#done`, deps.clock.now(), [...stepEntered(task.journey, task.stepId, false), ...outcome]);
  };
  let result: SendResult;
  try {
    result = await sendOnce(task, deps);
  } catch (error) {
    if (error instanceof PermanentSendError) await count('failed');
    throw error;
  }
  // The report splits sends by locale for templates that have variants.
  const template = result.channel ? task.choices?.find((c) => c.channel === result.channel)?.template : task.template;
  await count(result.status, result.reason, template && deps.templates.template(template)?.locales ? result.locale : undefined, result.channel);
  // With quiet hours the compiled step reads `at` whatever the outcome, a choice step `channel`: always give them.
  return { ...(deps.quietHours ? { at: '' } : {}), ...(task.choices ? { channel: '' } : {}), ...result };
}

/**
 * The signed links a template may show: one-click unsubscribe from the message's list (for a transactional
 * message, which has no list to leave, the preference page) and the preference page. Empty without a signer.
 */
export async function linksOf(profileId: string, channel: string, category: string, signer: SendDeps['unsubscribe']): Promise<{ unsubscribeUrl: string; preferencesUrl: string }> {
  if (!signer) return { unsubscribeUrl: '', preferencesUrl: '' };
  const key = await signer.key();
  const preferencesUrl = `${new URL('preferences', signer.url).href}?token=${signPreferences(profileId, key)}`;
  const unsubscribeUrl = category === TRANSACTIONAL ? preferencesUrl : `${signer.url}?token=${signUnsubscribe({ profileId, channel, list: category }, key)}`;
  return { unsubscribeUrl, preferencesUrl };
}

/** The end of the quiet window where the profile is, if it is quiet there now. */
export function quietUntil(now: Date, quiet: QuietHours, timeZone: string): Date | undefined {
  const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  const inside = quiet.start <= quiet.end ? local >= quiet.start && local < quiet.end : local >= quiet.start || local < quiet.end;
  return inside ? nextLocalTime(now, quiet.end, timeZone) : undefined;
}

/** The report groups of a send: its send-time group, and the channel a choice chose. */
export function groupsOf(task: Pick<SendTask, 'timing' | 'choices'>, channel: string | undefined): string[] {
  return [...(task.timing ? [`timing.${task.timing}`] : []), ...(task.choices && channel ? [`channel.${channel}`] : [])];
}

/**
 * A choice step's channel for this person: among the options with an address, consent and a template, the
 * bandit's pick in the profile's segment; undefined when none is possible. The draws are seeded by the send's
 * key, so a retry with the same counts chooses the same.
 */
async function chosenOption(task: SendTask, profile: Profile | undefined, key: string, deps: SendDeps): Promise<{ channel: string; template: string; segment: string } | undefined> {
  const options = task.choices ?? [];
  const eligible: string[] = [];
  for (const o of options) {
    const template = deps.templates.template(o.template);
    const found = addressOf(o.channel as Channel, profile) as string | PushAddress[] | undefined;
    if (!template || !profile || found === undefined) continue;
    if (!consentAllows(profile, o.channel, template.category ?? TRANSACTIONAL, deps.optInLists ?? new Set())) continue;
    if ((await withoutSuppressed(found, deps.suppressions)) === undefined) continue;
    eligible.push(o.channel);
  }
  const segment = learningSegment(task.learnBy, profile?.audiences);
  const read = deps.choiceStats ? await deps.choiceStats.read(options.map((o) => choiceArm(task.journey.id, task.stepId, o.channel)), segment) : new Map();
  const stats = new Map<string, ChannelStats>(options.map((o) => {
    const s = read.get(choiceArm(task.journey.id, task.stepId, o.channel));
    return [o.channel, { sent: s?.displays ?? 0, engaged: s?.clicks ?? 0 }];
  }));
  const pick = chooseChannel(eligible, stats, seededRandom(key));
  return pick ? { ...options.find((o) => o.channel === pick.channel)!, segment } : undefined;
}

async function sendOnce(original: SendTask, deps: SendDeps): Promise<SendResult> {
  let task = original;
  const visit = nextVisit(task.steps, task.stepId);
  const key = `${task.runId}#${task.stepId}#${visit}`;
  const attempt = deps.attemptId();
  // The profile that holds the person now (a merge since the execution started moves the send with it).
  const profile = await loadProfile(deps.profiles, task.profileId);
  let segment: string | undefined;
  if (task.choices) {
    const existing = await deps.ledger.read(key);
    const chosen = existing ? undefined : await chosenOption(task, profile, key, deps);
    if (!existing && !chosen) {
      await deps.ledger.claim(key, attempt, { journeyId: task.journey.id, stepId: task.stepId, channel: '', profileId: profile?.id ?? task.profileId });
      await deps.ledger.finish(key, attempt, { status: 'skipped', reason: 'no-channel' });
      return { visit, status: 'skipped', reason: 'no-channel', channel: '' };
    }
    if (chosen) {
      task = { ...task, channel: chosen.channel, template: chosen.template };
      segment = chosen.segment;
    } else task = { ...task, channel: existing!.channel ?? '' };
  }
  const meta = { journeyId: task.journey.id, stepId: task.stepId, channel: task.channel, profileId: profile?.id ?? task.profileId };

  let existing = await deps.ledger.claim(key, attempt, meta);
  if (existing?.status === 'sending') {
    if (deps.clock.now().getTime() - Date.parse(existing.claimedAt) < CLAIM_LEASE_MS) {
      throw new SendInProgressError(`send ${task.stepId} visit ${visit} is in progress in another attempt`);
    }
    const taken = await deps.ledger.finish(key, existing.attempt, { status: 'failed', reason: 'outcome-unknown' });
    existing = taken ? { ...existing, status: 'failed', reason: 'outcome-unknown' } : await deps.ledger.read(key);
  }
  if (existing) {
    if (existing.status === 'sent' || existing.status === 'skipped') {
      return { visit, status: existing.status, ...(existing.reason ? { reason: existing.reason } : {}), ...(existing.messageId ? { messageId: existing.messageId } : {}), ...(existing.locale ? { locale: existing.locale } : {}), ...(original.choices ? { channel: existing.channel ?? '' } : {}) };
    }
    throw new PermanentSendError(`send ${task.stepId} visit ${visit} failed earlier: ${existing.reason ?? 'outcome-unknown'}`);
  }

  const channel = task.channel as Channel;
  const found = addressOf(channel, profile) as string | PushAddress[] | undefined;
  const to = found === undefined ? undefined : await withoutSuppressed(found, deps.suppressions);
  if (to === undefined) {
    const reason = found === undefined ? 'missing-address' : 'suppressed';
    await deps.ledger.finish(key, attempt, { status: 'skipped', reason });
    return { visit, status: 'skipped', reason };
  }
  const template = deps.templates.template(task.template);
  if (!template || template.channel !== task.channel) {
    await deps.ledger.finish(key, attempt, { status: 'failed', reason: 'missing-template' });
    throw new PermanentSendError(`no ${task.channel} template "${task.template}"`);
  }
  const category = template.category ?? TRANSACTIONAL;
  if (!consentAllows(profile!, task.channel, category, deps.optInLists ?? new Set())) {
    await deps.ledger.finish(key, attempt, { status: 'skipped', reason: 'no-consent' });
    return { visit, status: 'skipped', reason: 'no-consent' };
  }
  if (category !== TRANSACTIONAL && deps.guard && (await deps.guard.paused()).paused) {
    await deps.ledger.finish(key, attempt, { status: 'skipped', reason: 'deliverability-guard' });
    return { visit, status: 'skipped', reason: 'deliverability-guard' };
  }
  // Quiet hours: not now but when the window ends; the claim is given back, the next try uses the same visit.
  if (deps.quietHours?.categories.includes(category)) {
    // After the wait for a deferral, it is at least the time waited for (whatever this clock says: a skewed
    // clock, or the local runtime's scaled waits, must not defer the same send again).
    const previous = (task.steps as Record<string, { status?: string; at?: string } | undefined>)[task.stepId];
    const waitedUntil = previous?.status === 'deferred' && previous.at ? Date.parse(previous.at) : 0;
    const slot = task.notBefore ? Date.parse(task.notBefore) : 0;
    const now = new Date(Math.max(deps.clock.now().getTime(), waitedUntil, Number.isNaN(slot) ? 0 : slot));
    const until = quietUntil(now, deps.quietHours, knownTimeZone(profile!.attributes.timeZone));
    if (until) {
      await deps.ledger.release(key, attempt);
      return { visit: visit - 1, status: 'deferred', at: waitTimestamp(until) };
    }
  }
  // Business rules: a full frequency cap skips the send (recorded); a retry of this send keeps its place.
  for (const cap of deps.frequencyCaps ?? []) {
    if (cap.channel !== task.channel || cap.category !== category || !deps.caps) continue;
    if ((await deps.caps.take(profile!.id, cap, key, deps.clock.now())) === 'exceeded') {
      await deps.ledger.finish(key, attempt, { status: 'skipped', reason: 'frequency-cap' });
      return { visit, status: 'skipped', reason: 'frequency-cap' };
    }
  }
  try {
    const links = await linksOf(profile!.id, channel, category, deps.unsubscribe);
    const scope = { profile: { id: profile!.id, attributes: profile!.attributes, scores: profile!.scores ?? {} }, event: task.event, journey: { id: task.journey.id, step: task.stepId }, context: task.context ?? {}, ...offersOf(task.steps), ...links };
    // RFC 8058 one-click unsubscribe on every email that is not transactional.
    const headers =
      'unsubscribeHeaders' in CHANNELS[channel] && category !== TRANSACTIONAL && deps.unsubscribe
        ? { 'List-Unsubscribe': `<${links.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : undefined;
    const { fields, locale } = rendererOf(template)(scope);
    // Tags come back with the delivery feedback: the report's groups, and the segment a choice learns in.
    const groups = groupsOf(task, original.choices ? task.channel : undefined);
    const tags = { journey: task.journey.id, step: task.stepId, locale, ...(groups.length > 0 ? { groups: groupsTag(groups) } : {}), ...(segment ? { learn: segmentTag(segment) } : {}) };
    const message = { ...fields, to, key, template, tags, ...(headers ? { headers } : {}) };
    // The channel's deliverer, for the template's channel (checked above): one cast where TypeScript cannot follow.
    const deliverer = deps.channels[channel] as unknown as { deliver(m: Outgoing<Channel>): Promise<{ messageId: string; deadTokens?: string[] }> };
    const delivered = await deliverer.deliver(message as unknown as Outgoing<Channel>);
    const { messageId } = delivered;
    await dropDeadTokens(profile!.id, delivered.deadTokens, deps);
    await deps.ledger.finish(key, attempt, { status: 'sent', messageId, locale });
    if (segment) await deps.choiceStats?.record(key, choiceArm(task.journey.id, task.stepId, task.channel), 'displays', [segment]);
    return { visit, status: 'sent', messageId, locale, ...(original.choices ? { channel: task.channel } : {}) };
  } catch (error) {
    if (!(error instanceof ProviderError) || error.kind === 'unknown') {
      await deps.ledger.finish(key, attempt, { status: 'failed', reason: 'outcome-unknown' });
      throw new PermanentSendError('the provider may or may not have taken the message; not retried', { cause: error });
    }
    await dropDeadTokens(profile!.id, error.deadTokens, deps);
    if (error.kind === 'rejected') {
      await deps.ledger.finish(key, attempt, { status: 'failed', reason: `rejected: ${error.message}` });
      throw new PermanentSendError(`rejected: ${error.message}`, { cause: error });
    }
    await deps.ledger.release(key, attempt);
    throw new SendThrottledError(`${error.kind}: ${error.message}`, { cause: error });
  }
}
