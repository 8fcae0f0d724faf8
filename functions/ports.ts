// The interfaces the domain needs. Adapters implement them against AWS (or the local emulators behind the same
// SDK clients); the local runtime implements Bus and Executions in-process.
import type { Profile } from './domain/profile';
import type { AddressKind, Channel, CHANNELS, FeedbackKind } from '../statemachines/channels';
import type { MessageTemplate, RenderedOf, TemplateOf } from '../statemachines/schema/template';
import type { ApiKey } from './domain/auth';
import type { TrackedEvent, BusDetail, HistoryEvent } from './domain/events';
import type { Run, WaitingItem } from './ports-runs';

// The ports of runs (executions, waits, parked runs and their schedules, run records) are in ports-runs.ts.
export * from './ports-runs';
export * from './ports-reports';
export * from './ports-learning';

export interface ProfileStore {
  get(id: string): Promise<Profile | undefined>;
  /** Writes the profile if the stored version is still `expectedVersion` (0: not stored). False on conflict. */
  put(profile: Profile, expectedVersion: number): Promise<boolean>;
}

/** The identity index: each identity (`type:value`) belongs to one profile. */
export interface IdentityStore {
  owner(identity: string): Promise<string | undefined>;
  /** Links an unlinked identity to the profile (conditional write). Undefined when it is the profile's now; else its owner. */
  link(identity: string, profileId: string): Promise<string | undefined>;
  /** Points an identity at another profile, if it still points at `from`. */
  move(identity: string, from: string, to: string): Promise<void>;
  /** Removes the identity, if it points at the profile. */
  unlink(identity: string, profileId: string): Promise<void>;
}

/** Everything kept under a profile's keys besides the profile item: history, send records, waits, runs. */
export interface ProfileData {
  /** Moves it all from a merged-away profile to the survivor; idempotent. */
  move(from: string, to: string): Promise<void>;
  /** Every item, for a person's data export. */
  collect(profileId: string): Promise<{ history: unknown[]; sends: unknown[]; decisions: unknown[]; inbox: unknown[]; waits: WaitingItem[]; runs: Run[] }>;
  /** Deletes every item, the profile item included. */
  erase(profileId: string): Promise<void>;
}

/** Addresses that must not be sent to (erased people; later bounces and complaints), kept as hashes. */
export interface Suppressions {
  suppress(address: string, reason: string): Promise<void>;
  isSuppressed(address: string): Promise<boolean>;
}

/** Reads every live profile a page at a time; the cursor resumes a scan (an opaque string). */
export interface ProfileScanner {
  page(cursor: string | undefined, limit: number): Promise<{ profiles: Profile[]; cursor?: string }>;
}

/** Where audience exports go: S3 on AWS, a folder locally. Writing the same key again replaces it. */
export interface ExportSink {
  /** Writes one object; returns where it is (s3://... or a file path). */
  write(key: string, body: string): Promise<string>;
  /** Where keys under this prefix are. */
  locate(prefix: string): string;
  /** Reads an object written before. */
  read(key: string): Promise<string>;
  /** Up to `length` bytes of an object from `start` (bytes: a range may cut a character), and its whole size. */
  readRange(key: string, start: number, length: number): Promise<{ bytes: Uint8Array; size: number }>;
}

export type CampaignRunStatus = 'preparing' | 'running' | 'paused' | 'cancelled' | 'done' | 'failed';

export interface CampaignRun {
  campaignId: string;
  runId: string;
  trigger: 'schedule' | 'api';
  status: CampaignRunStatus;
  /** Data for the template ({{context.*}}), from the API call. */
  context?: Record<string, unknown>;
  /** The API's list of recipients, instead of the campaign's audience. */
  profileIds?: string[];
  /** A fan-out's run: the recipients are the profiles the interest index names for this value since then. */
  fanOut?: { journeyId: string; value: string; since: string };
  startedAt: string;
  finishedAt?: string;
  /** Preparation: scan cursor and pages done. */
  cursor?: string;
  pages: number;
  prepared: boolean;
  /** Recipients, by send time: the parts (object keys) holding them. */
  slots: Array<{ at: string; parts: string[] }>;
  targeted: number;
  /** Fan-outs that failed for another reason than a pause. */
  failures: number;
  /** Optimistic lock. */
  version: number;
}

/** Fan-out by correlation: who showed interest in a value (product.viewed {sku}), for each fan-out journey. */
export interface InterestIndex {
  /** Records (or refreshes) the profile's interest; kept until `expiresAt` (epoch seconds). */
  record(journeyId: string, value: string, profileId: string, at: string, expiresAt: number): Promise<void>;
  /** A page of the profiles interested since `since`. */
  page(journeyId: string, value: string, since: string, cursor: string | undefined, limit: number): Promise<{ profileIds: string[]; cursor?: string }>;
}

export interface BatchOutcome {
  part: string;
  targeted: number;
  enrolled?: number; // a campaign that enrols into a journey: the profiles enrolled (the journey sends)
  sent: number;
  skipped: Record<string, number>;
  failed: number;
  /** A campaign with treatments, a holdout or a goal: the same counts by arm (the holdout is only assigned). */
  arms?: Record<string, ArmOutcome>;
  /** With sendTime: messages sent by report group (timing.best, timing.held). */
  groups?: Record<string, number>;
}

export interface ArmOutcome {
  assigned: number;
  sent: number;
  skipped: number;
  failed: number;
}

export interface CampaignRuns {
  get(campaignId: string, runId: string): Promise<CampaignRun | undefined>;
  /** Saves the run if its stored version is `run.version - 1` (0: new). False on conflict. */
  save(run: CampaignRun): Promise<boolean>;
  /** Records a batch's outcome (a rerun of the batch replaces it). */
  recordBatch(campaignId: string, runId: string, outcome: BatchOutcome): Promise<void>;
  batches(campaignId: string, runId: string): Promise<BatchOutcome[]>;
  /** The campaign's runs, oldest first. */
  list(campaignId: string): Promise<CampaignRun[]>;
}

export interface AudienceJob {
  kind: 'export' | 'pass' | 'import' | 'learn';
  jobId: string;
  /** The audience exported ('*' for the pass over all time-based audiences). */
  audienceId: string;
  status: 'running' | 'done';
  cursor?: string;
  /** Pages done: the next page's part is part-<pages + 1>. */
  pages: number;
  /** Profiles in the audience (export), or membership changes (pass). */
  count: number;
  parts: string[];
  startedAt: string;
  finishedAt?: string;
  /** Evaluation time, ISO 8601: a job evaluates everyone at the same moment. */
  at: string;
  location?: string;
  /** An import: the file (a key of the exports bucket), how far it is read (bytes, lines), what came of it. */
  source?: string;
  offset?: number;
  lines?: number;
  duplicates?: number;
  errors?: number;
  /** A learning job (model-jobs.ts): its phase, and the population's engagement counted so far. */
  phase?: 'collect' | 'score';
  engagement?: { profiles: number; shares: number[] };
  /** Pages of the collect phase: its training rows are parts rows-1..n (not listed: the job is a state's payload). */
  collected?: number;
}

export interface AudienceJobs {
  get(audienceId: string, jobId: string): Promise<AudienceJob | undefined>;
  /** Saves the job if it still has `expectedPages` pages done (undefined: a new job). False on conflict. */
  save(job: AudienceJob, expectedPages: number | undefined): Promise<boolean>;
}

/** A frequency cap: at most `max` messages of a channel and category to one profile within `windowSeconds`. */
export interface FrequencyCap {
  channel: string;
  category: string;
  max: number;
  windowSeconds: number;
}

export interface CapCounters {
  /**
   * Takes a place under the cap for this send (conditional write, safe under concurrency): 'taken', or
   * 'exceeded' when the window is full. The same send key taking again (a retry) keeps its place.
   */
  take(profileId: string, cap: FrequencyCap, sendKey: string, now: Date): Promise<'taken' | 'exceeded'>;
}

export type ReceiptStatus = 'new' | 'pending' | 'published';
/** An event id as recorded: its status, and the timestamp it was accepted with (so a retry applies the same one). */
export type Receipt = { status: ReceiptStatus; timestamp?: string };

export interface EventStore {
  /** Records ids (conditional writes; the API, before enqueueing) with their timestamps: new, pending or published each. */
  claim(events: readonly TrackedEvent[], receivedAt: string): Promise<ReceiptStatus[]>;
  /** The receipt before applying: claimed by the API (pending, with its timestamp), applied, or new (then recorded). */
  receive(event: TrackedEvent, receivedAt: string): Promise<Receipt>;
  markPublished(eventId: string): Promise<void>;
  /** Appends to the profile's event history; idempotent (keyed by timestamp and event id). */
  appendHistory(event: TrackedEvent): Promise<void>;
  /** The profile's history since a time (all of it kept when undefined), of some types (all when undefined), oldest first. */
  history(profileId: string, since?: string, types?: readonly string[]): Promise<HistoryEvent[]>;
}

export interface BusEntry {
  source: string;
  detailType: string;
  detail: BusDetail;
}

/** An accepted event on its way to the consumer that applies it (SQS FIFO on AWS, a local queue alike); how far behind it is. */
export type QueuedEvent = { event: TrackedEvent; receivedAt: string };
export type QueuePressure = { depth: number; oldestAgeSeconds?: number };

export interface EventQueue {
  /** Enqueues durably, in order per profile; resolves once every event is stored by the queue. */
  send(events: readonly QueuedEvent[]): Promise<void>;
  pressure(): Promise<QueuePressure>;
}

export interface Bus {
  /** Publishes every entry or throws; entries may be delivered more than once. */
  publish(entries: BusEntry[]): Promise<void>;
}

export type SendStatus = 'sending' | 'sent' | 'skipped' | 'failed';

export interface LedgerEntry {
  key: string;
  status: SendStatus;
  attempt: string;
  /** When the claim was taken, ISO 8601. */
  claimedAt: string;
  reason?: string;
  messageId?: string;
  /** The template variant sent (a locale tag, or default). */
  locale?: string;
  /** The channel claimed for (a choice step's chosen channel). */
  channel?: string;
}

export interface LedgerMeta {
  journeyId: string;
  stepId: string;
  channel: string;
  profileId: string;
}

export interface SendLedger {
  /** Claims the key for this attempt (conditional write). Undefined when claimed; else the existing entry. */
  claim(key: string, attempt: string, meta: LedgerMeta): Promise<LedgerEntry | undefined>;
  /** Records the outcome of the attempt that holds the claim, if the send is still `sending`. False otherwise. */
  finish(key: string, attempt: string, outcome: { status: Exclude<SendStatus, 'sending'>; reason?: string; messageId?: string; locale?: string }): Promise<boolean>;
  read(key: string): Promise<LedgerEntry | undefined>;
  /** Gives the claim up, when the message was certainly not sent and may be tried again. */
  release(key: string, attempt: string): Promise<void>;
}

/** A device to push to, as profiles hold them in the attribute pushTokens. */
export interface PushAddress {
  token: string;
  platform: 'APNS' | 'APNS_SANDBOX' | 'GCM';
}

/** What a profile is reached at, by the kind of address a channel uses (statemachines/channels.ts). */
export interface Addresses {
  email: string;
  phone: string;
  pushTokens: PushAddress[];
  /** The profile itself: the message is kept for the profile (the in-app inbox). */
  profile: string;
}
export type AddressOf<C extends Channel> = Addresses[(typeof CHANNELS)[C]['address'] & AddressKind];

/** One message, rendered for its channel. */
export type Outgoing<C extends Channel> = RenderedOf<C> & {
  to: AddressOf<C>;
  /** The send's idempotency key (execution or campaign run, step, visit): the same message has the same key. */
  key: string;
  /** The template it was rendered from (fields that are not text, such as an expiry). */
  template: TemplateOf<C>;
  tags: Record<string, string>;
  /** Extra headers, such as List-Unsubscribe (email). */
  headers?: Record<string, string>;
};

/**
 * Sends one message on a channel. Throws ProviderError, whose kind says whether it may be retried. Push answers
 * the device tokens the provider says are gone for good (the profile drops them).
 */
export interface Deliverer<C extends Channel> {
  deliver(message: Outgoing<C>): Promise<{ messageId: string; deadTokens?: string[] }>;
}
/** One deliverer per channel: a channel without one is a type error. */
export type Deliverers = { [C in Channel]: Deliverer<C> };

/** An in-app message as apps read it (GET /profiles/{id}/inbox). */
export interface InboxMessage {
  id: string;
  title: string;
  body: string;
  url?: string;
  imageUrl?: string;
  /** The journey (or campaign-<id>) and step that sent it. */
  journey: string;
  step: string;
  createdAt: string;
  expiresAt: string;
  status: 'new' | 'viewed' | 'clicked';
}

/** The messages kept for a profile (channels whose address is the profile: the in-app inbox). */
export interface Inbox {
  /** The live messages, newest first. */
  list(profileId: string, now: Date): Promise<InboxMessage[]>;
  /** An app's feedback on a message: dismissed removes it. The journey and step that sent it; undefined when it is gone. */
  react(profileId: string, messageId: string, kind: FeedbackKind): Promise<SentBy | undefined>;
}

/** What sent a kept message: journey (or campaign-<id>) and step, its report groups and a choice's segment tag. */
export interface SentBy {
  journey: string;
  step: string;
  groups?: string;
  learn?: string;
}

export interface TemplateStore {
  template(name: string): MessageTemplate | undefined;
}

export interface ApiKeySource {
  keys(): Promise<readonly ApiKey[]>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Structured logging; what is logged never holds personal data (no profile ids, addresses or attributes). */
export interface Log {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface SecretStore {
  /** A secret's value, or undefined when there is none by that name. */
  get(name: string): Promise<string | undefined>;
}

export interface HttpCaller {
  /** One HTTP request, to a public address only (or loopback where the runtime allows it). Throws on no answer. */
  call(request: { method: string; url: string; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<{ status: number }>;
}

