import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDbProfileStore } from './adapters/dynamodb-profiles';
import { DynamoDbEventStore } from './adapters/dynamodb-events';
import { DynamoDbIdentityStore } from './adapters/dynamodb-identities';
import { DynamoDbSuppressions } from './adapters/dynamodb-suppressions';
import { DynamoDbCapCounters } from './adapters/dynamodb-caps';
import { DynamoDbDeliverability } from './adapters/dynamodb-deliverability';
import { DynamoDbProfileData } from './adapters/dynamodb-profile-data';
import { DynamoDbSendLedger } from './adapters/dynamodb-send-ledger';
import { SesMailer } from './adapters/ses-mailer';
import { StaticTemplateStore } from './adapters/static-templates';
import type { MessageTemplate } from './domain/templates';
import type { PinpointClient } from '@aws-sdk/client-pinpoint';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { PinpointPusher } from './adapters/pinpoint-pusher';
import { SmsTexter } from './adapters/sms-texter';
import type { IngestDeps } from './domain/ingest';
import type { QuietHours, SendDeps } from './domain/send-message';
import { DynamoDbWaitingStore } from './adapters/dynamodb-waiting';
import type { PrivacyDeps } from './domain/privacy';
import type { AudienceExportDeps } from './handlers/profile-api/app';
import type { AudienceSet } from './domain/audiences';
import type { JobDeps } from './domain/audience-jobs';
import type { CampaignDeps } from './domain/campaigns';
import type { Audience, Campaign } from '../statemachines';
import { DynamoDbCampaignRuns } from './adapters/dynamodb-campaign-runs';
import { DynamoDbAudienceJobs, DynamoDbProfileScanner } from './adapters/dynamodb-audience-jobs';
import { systemClock, type FrequencyCap, type ExportSink, type Executions, type ProfileStore, type Bus, type Log, type SecretStore, type TaskTokens, type WaitingStore } from './ports';
import type { Action } from './domain/action-schema';
import type { WebhookDeps } from './domain/webhook';
import { FetchHttpCaller } from './adapters/fetch-http';
import { DynamoDbReportCounters } from './adapters/dynamodb-reports';
import { DynamoDbDecisionLog, DynamoDbOfferCounters, DynamoDbOfferStats } from './adapters/dynamodb-offer-counters';
import type { Decision, Offer } from './domain/offers';
import type { DecisionDeps } from './domain/decisions';

// How each handler's dependencies are built from SDK clients. The Lambda entry points and the local runtime
// both call these, so the two ways of running share one code path; only the clients' endpoints differ.

export function ingestDeps(c: { doc: DynamoDBDocumentClient; profilesTable: string; bus: Bus; tokens: TaskTokens; log: Log; audiences?: AudienceSet; decisions?: () => Iterable<Decision> }): IngestDeps & { log: Log } {
  return {
    ...(c.audiences ? { audiences: c.audiences } : {}),
    outcomes: { stats: new DynamoDbOfferStats(c.doc, c.profilesTable), decisions: c.decisions ?? (() => []) },
    profiles: new DynamoDbProfileStore(c.doc, c.profilesTable),
    identities: new DynamoDbIdentityStore(c.doc, c.profilesTable),
    data: new DynamoDbProfileData(c.doc, c.profilesTable),
    events: new DynamoDbEventStore(c.doc, c.profilesTable),
    bus: c.bus,
    clock: systemClock,
    resume: { waits: new DynamoDbWaitingStore(c.doc, c.profilesTable), tokens: c.tokens },
    log: c.log,
  };
}

export function waitDeps(c: { doc: DynamoDBDocumentClient; profilesTable: string }): { waits: WaitingStore; profiles: ProfileStore; clock: typeof systemClock } {
  return { waits: new DynamoDbWaitingStore(c.doc, c.profilesTable), profiles: new DynamoDbProfileStore(c.doc, c.profilesTable), clock: systemClock };
}

export function sendDeps(c: {
  doc: DynamoDBDocumentClient;
  /** The provider clients must be built with maxAttempts: 1 (see SesMailer): the state machine retries. */
  ses: SESv2Client;
  pinpoint: PinpointClient;
  sms: PinpointSMSVoiceV2Client;
  profilesTable: string;
  ledgerTable: string;
  from: string;
  configurationSet: string | undefined;
  pinpointApplicationId: string;
  smsOriginationIdentity?: string | undefined;
  templates: Record<string, MessageTemplate>;
  frequencyCaps?: readonly FrequencyCap[];
  optInLists?: ReadonlySet<string>;
  quietHours?: QuietHours;
  /** How long a send trusts the guard state it read (default a minute; the local runtime reads it every time). */
  guardCacheMs?: number;
  unsubscribe?: { url: string; key: () => Promise<string> };
  log: Log;
}): SendDeps & { log: Log } {
  return {
    profiles: new DynamoDbProfileStore(c.doc, c.profilesTable),
    ledger: new DynamoDbSendLedger(c.doc, c.ledgerTable, systemClock, c.profilesTable),
    channels: {
      email: new SesMailer(c.ses, c.from, c.configurationSet),
      push: new PinpointPusher(c.pinpoint, c.pinpointApplicationId),
      sms: new SmsTexter(c.sms, { originationIdentity: c.smsOriginationIdentity }),
    },
    templates: new StaticTemplateStore(c.templates),
    suppressions: new DynamoDbSuppressions(c.doc, c.profilesTable, systemClock),
    ...(c.optInLists ? { optInLists: c.optInLists } : {}),
    ...(c.quietHours ? { quietHours: c.quietHours } : {}),
    guard: new DynamoDbDeliverability(c.doc, c.profilesTable, c.guardCacheMs),
    ...(c.unsubscribe ? { unsubscribe: c.unsubscribe } : {}),
    ...(c.frequencyCaps ? { frequencyCaps: c.frequencyCaps, caps: new DynamoDbCapCounters(c.doc, c.profilesTable) } : {}),
    reports: new DynamoDbReportCounters(c.doc, c.profilesTable),
    clock: systemClock,
    attemptId: randomUUID,
    log: c.log,
  };
}

export function webhookDeps(c: {
  doc: DynamoDBDocumentClient;
  profilesTable: string;
  /** Read on each call, so the local runtime can keep it current. */
  actions: Readonly<Record<string, Action>>;
  secrets: SecretStore;
  /** Only the local runtime may call loopback addresses. */
  allowLoopback: boolean;
  log: Log;
}): WebhookDeps & { log: Log } {
  return {
    actions: { get: (name) => (Object.hasOwn(c.actions, name) ? c.actions[name] : undefined) },
    profiles: new DynamoDbProfileStore(c.doc, c.profilesTable),
    secrets: c.secrets,
    http: new FetchHttpCaller({ allowLoopback: c.allowLoopback }),
    clock: systemClock,
    log: c.log,
  };
}

export function profileApiDeps(c: {
  doc: DynamoDBDocumentClient;
  profilesTable: string;
  ledgerTable: string;
  executions: Executions;
  audienceIds: () => readonly string[];
  jobsStateMachineArn: string;
  log: Log;
}): PrivacyDeps & AudienceExportDeps {
  return {
    audienceIds: c.audienceIds,
    jobs: new DynamoDbAudienceJobs(c.doc, c.profilesTable),
    jobsStateMachineArn: c.jobsStateMachineArn,
    newJobId: randomUUID,
    profiles: new DynamoDbProfileStore(c.doc, c.profilesTable),
    identities: new DynamoDbIdentityStore(c.doc, c.profilesTable),
    data: new DynamoDbProfileData(c.doc, c.profilesTable, c.ledgerTable),
    ledger: new DynamoDbSendLedger(c.doc, c.ledgerTable, systemClock),
    suppressions: new DynamoDbSuppressions(c.doc, c.profilesTable, systemClock),
    executions: c.executions,
    log: c.log,
  };
}

export function audienceJobDeps(c: { doc: DynamoDBDocumentClient; profilesTable: string; audiences: AudienceSet; sink: ExportSink; bus: Bus; log: Log; pageSize?: number; pagesPerSlice?: number }): JobDeps & { log: Log } {
  return {
    audiences: c.audiences,
    scanner: new DynamoDbProfileScanner(c.doc, c.profilesTable),
    jobs: new DynamoDbAudienceJobs(c.doc, c.profilesTable),
    sink: c.sink,
    profiles: new DynamoDbProfileStore(c.doc, c.profilesTable),
    events: new DynamoDbEventStore(c.doc, c.profilesTable),
    bus: c.bus,
    clock: systemClock,
    // 500 items a page (a Scan page stays under 1 MB for profiles of up to 2 KB); 20 pages a slice.
    pageSize: c.pageSize ?? 500,
    pagesPerSlice: c.pagesPerSlice ?? 20,
    log: c.log,
  };
}

export function campaignDeps(c: {
  doc: DynamoDBDocumentClient;
  profilesTable: string;
  campaigns: (id: string) => Campaign | undefined;
  audiences: () => readonly Audience[];
  sink: ExportSink;
  send: SendDeps;
  bus: Bus;
  log: Log;
  sendQuota?: () => Promise<number | undefined>;
  pageSize?: number;
  pagesPerSlice?: number;
  maxConcurrency?: number;
}): CampaignDeps & { log: Log } {
  return {
    campaigns: c.campaigns,
    audiences: c.audiences,
    runs: new DynamoDbCampaignRuns(c.doc, c.profilesTable),
    scanner: new DynamoDbProfileScanner(c.doc, c.profilesTable),
    profiles: new DynamoDbProfileStore(c.doc, c.profilesTable),
    events: new DynamoDbEventStore(c.doc, c.profilesTable),
    sink: c.sink,
    // Campaign sends are reported from their batches, not counted as journey steps.
    send: withoutReports(c.send),
    bus: c.bus,
    clock: systemClock,
    pageSize: c.pageSize ?? 500,
    pagesPerSlice: c.pagesPerSlice ?? 20,
    ...(c.sendQuota ? { sendQuota: c.sendQuota } : {}),
    ...(c.maxConcurrency ? { maxConcurrency: c.maxConcurrency } : {}),
    log: c.log,
  };
}

export function decisionDeps(c: { doc: DynamoDBDocumentClient; profilesTable: string; offers: () => readonly Offer[] }): DecisionDeps {
  return {
    offers: c.offers,
    counters: new DynamoDbOfferCounters(c.doc, c.profilesTable),
    stats: new DynamoDbOfferStats(c.doc, c.profilesTable),
    decisionLog: new DynamoDbDecisionLog(c.doc, c.profilesTable),
    events: new DynamoDbEventStore(c.doc, c.profilesTable),
    clock: systemClock,
  };
}

function withoutReports(send: SendDeps): SendDeps {
  const { reports: _journeysOnly, ...rest } = send;
  return rest;
}
