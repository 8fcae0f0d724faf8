import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointClient } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { startMessaging } from './messaging';
import { DEFAULT_RESOURCES, entryRule, jumpRule, runRules } from '../statemachines';
import { ledgerTableDefinition, profilesTableDefinition } from '../functions/adapters/dynamodb-tables';
import { EnvironmentSecrets, StaticApiKeys } from '../functions/adapters/secrets';
import { createAuthorizerHandler } from '../functions/handlers/authorizer/app';
import { createIngestHandler } from '../functions/handlers/ingest/app';
import { CAMPAIGN_ROUTES, DECISION_ROUTES, INGEST_ROUTES, PROFILE_ROUTES, REPORT_ROUTES, UNSUBSCRIBE_ROUTES } from '../functions/handlers/routes';
import { createReportApiHandler } from '../functions/handlers/report-api/app';
import { reportShape } from '../functions/domain/report-shape';
import { createDecisionApiHandler } from '../functions/handlers/decision-api/app';
import { createDecideHandler } from '../functions/handlers/decide/app';
import { DynamoDbIdentityStore } from '../functions/adapters/dynamodb-identities';
import { createUnsubscribeHandler } from '../functions/handlers/unsubscribe/app';
import { createFeedbackHandler } from '../functions/handlers/feedback/app';
import { simulatorFeedback } from '../functions/domain/feedback';
import { DynamoDbSuppressions } from '../functions/adapters/dynamodb-suppressions';
import { DynamoDbDeliverability } from '../functions/adapters/dynamodb-deliverability';
import { lambdaContext } from './lambda';
import { createCampaignHandler } from '../functions/handlers/campaign/app';
import { createCampaignApiHandler } from '../functions/handlers/campaign-api/app';
import { DynamoDbCampaignRuns } from '../functions/adapters/dynamodb-campaign-runs';
import { CampaignScheduler } from './scheduler';
import { createProfileApiHandler } from '../functions/handlers/profile-api/app';
import { compileAudiences, type AudienceSet } from '../functions/domain/audiences';
import { createProfileHandler } from '../functions/handlers/profile/app';
import { createSendHandler } from '../functions/handlers/send/app';
import { createStarterHandler } from '../functions/handlers/starter/app';
import { DynamoDbProfileStore } from '../functions/adapters/dynamodb-profiles';
import { DynamoDbRunStore } from '../functions/adapters/dynamodb-runs';
import { DynamoDbReportCounters } from '../functions/adapters/dynamodb-reports';
import { createRunsHandler } from '../functions/handlers/runs/app';
import { systemClock } from '../functions/ports';
import { audienceJobDeps, campaignDeps, decisionDeps, ingestDeps, profileApiDeps, sendDeps, waitDeps, webhookDeps } from '../functions/wiring';
import { createAudienceJobsHandler } from '../functions/handlers/audience-jobs/app';
import { AUDIENCE_JOBS_FUNCTION, CAMPAIGN_FUNCTION, audienceJobsDefinition, campaignRunDefinition } from '../statemachines';
import { FolderExportSink } from './folder-sink';
import { DynamoDbAudienceJobs } from '../functions/adapters/dynamodb-audience-jobs';
import { DynamoDbEventStore } from '../functions/adapters/dynamodb-events';
import type { AudienceJob } from '../functions/ports';
import { createWebhookHandler } from '../functions/handlers/webhook/app';
import { createWaitHandler } from '../functions/handlers/wait/app';
import { createJumpHandler } from '../functions/handlers/jump/app';
import { logger, type LogLevel } from '../functions/logger';
import { loadWorkspace, type Workspace } from '../workspace/load';
import { InProcessBus, type DeadLetter, type LocalRule } from './bus';
import { LOCAL_CREDENTIALS, LOCAL_REGION, ensureTables, startDynamo, startSes } from './emulators';
import { startHttpApi } from './http';
import { localFunction } from './lambda';
import { LocalStepFunctions } from './stepfunctions';

// The embedded runtime: the whole product on one machine, no AWS account. Same handlers, same compiled state
// machines, same SDK clients, pointed at local emulators; the bus and Step Functions run in-process.

export interface LocalOptions {
  workspace: string;
  /** 0 picks a free port. */
  apiPort?: number;
  sesPort?: number;
  dynamoPort?: number;
  messagingPort?: number;
  /** Where DynamoDB keeps its data across restarts; in memory when not set. */
  dataDir?: string;
  /** Multiplies every wait (0.00001: P3D in about 2.6 s). */
  timeScale?: number;
  apiKey?: string;
  fromAddress?: string;
  /** Where audience exports are written (default: exports/ next to dataDir, else a temporary folder). */
  exportsDir?: string;
  /** Profiles per page of audience jobs (default 500). */
  exportPageSize?: number;
  /** Profiles per page when preparing campaign runs (default 500). */
  campaignPageSize?: number;
  /** Signs unsubscribe tokens (default: a fixed local key). */
  unsubscribeKey?: string;
  /** Sees the SDK clients the runtime makes (the benchmarks count their calls). */
  instrument?: (clients: { dynamodb: DynamoDBClient; ses: SESv2Client }) => void;
  /** Run campaign schedules (default true). */
  schedules?: boolean;
  /** How often the membership pass of time-based audiences runs (default daily; 0: never on its own). */
  audiencePassEveryMs?: number;
  logLevel?: LogLevel;
}

export interface LocalRuntime {
  apiUrl: string;
  mailUrl: string;
  /** The push and SMS outbox (GET / a page, GET /store JSON). */
  messagingUrl: string;
  dynamoUrl: string;
  apiKey: string;
  /** The workspace as last loaded. */
  readonly workspace: Workspace;
  /**
   * Loads the workspace again: changed journeys get their new definition for new entries; profiles already
   * inside finish on the version they entered. Throws WorkspaceError (and changes nothing) on mistakes.
   */
  reload(): Promise<{ changed: string[] }>;
  bus: InProcessBus;
  stepFunctions: LocalStepFunctions;
  /** Resolves when no bus delivery or execution is under way. */
  idle(): Promise<void>;
  /** Runs the membership pass of time-based audiences now (as the daily schedule does), evaluated at `at`. */
  audiencePass(at?: string): Promise<AudienceJob>;
  /** Where audience exports are written. */
  exportsDir: string;
  /** Fires a scheduled campaign now, as its schedule would (a run id from the fire time). */
  fireCampaign(campaignId: string, at?: Date): Promise<string>;
  stop(): Promise<void>;
}

/** The report page: one static file, served here and deployable anywhere (it calls the API with a key). */
export const REPORT_PAGE = resolve(import.meta.dirname, '../report/index.html');

/** For tests and benchmarks: free ports, no schedules, no daily pass, no logs. */
export const EMBEDDED = { apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, schedules: false, logLevel: 'SILENT' } as const satisfies Partial<LocalOptions>;

export const LOCAL_TABLES = { profiles: 'journeys-profiles', ledger: 'journeys-send-ledger' } as const;
export const DEFAULT_API_KEY = 'local-dev-key';

export async function startLocalRuntime(options: LocalOptions): Promise<LocalRuntime> {
  const root = resolve(options.workspace);
  let workspace = loadWorkspace(root);
  const templates = { ...workspace.templates };
  // Kept current by reload(), like the templates.
  const frequencyCaps = [...workspace.frequencyCaps];
  const optInLists = new Set(workspace.optInLists);
  // The link in marketing emails: this API's /unsubscribe (its URL is known once the server listens).
  const unsubscribeKey = options.unsubscribeKey ?? 'local-unsubscribe-key';
  const unsubscribe = { url: '', key: async () => unsubscribeKey };
  const actions = { ...workspace.actions };
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const level = options.logLevel ?? 'WARN';

  // The audiences as last loaded: reload() swaps the set under the same object.
  let audienceSet = compileAudiences(workspace.audiences);
  const audiences: AudienceSet = {
    get audiences() {
      return audienceSet.audiences;
    },
    affectedBy: (type, changed) => audienceSet.affectedBy(type, changed),
    timeDependent: () => audienceSet.timeDependent(),
  };
  const feedbackInFlight = new Set<Promise<unknown>>();
  const exportsDir = resolve(options.exportsDir ?? (options.dataDir ? join(options.dataDir, '..', 'exports') : join(tmpdir(), `journeys-exports-${process.pid}`)));
  const dynamo = await startDynamo(options.dynamoPort ?? 8006, options.dataDir ? join(options.dataDir, 'dynamodb') : undefined);
  const ses = await startSes(options.sesPort ?? 8005);
  const messaging = await startMessaging(options.messagingPort ?? 8007);
  const clientConfig = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamoClient = new DynamoDBClient({ ...clientConfig, endpoint: dynamo.url });
  const sesClient = new SESv2Client({ ...clientConfig, endpoint: ses.url, maxAttempts: 1 });
  options.instrument?.({ dynamodb: dynamoClient, ses: sesClient });
  await ensureTables(dynamoClient, [profilesTableDefinition(LOCAL_TABLES.profiles), ledgerTableDefinition(LOCAL_TABLES.ledger)]);
  const doc = DynamoDBDocumentClient.from(dynamoClient);

  const sending = sendDeps({
      doc,
      ses: sesClient,
      pinpoint: new PinpointClient({ ...clientConfig, endpoint: messaging.url, maxAttempts: 1 }),
      sms: new PinpointSMSVoiceV2Client({ ...clientConfig, endpoint: messaging.url, maxAttempts: 1 }),
      pinpointApplicationId: 'local',
      profilesTable: LOCAL_TABLES.profiles,
      ledgerTable: LOCAL_TABLES.ledger,
      from: options.fromAddress ?? 'no-reply@example.com',
      configurationSet: 'journeys',
      templates,
      frequencyCaps,
      optInLists,
      guardCacheMs: 0,
      ...(workspace.quietHours ? { quietHours: workspace.quietHours } : {}),
      unsubscribe,
      log: logger('journey-send', level),
    });
  const send = createSendHandler(sending);
  const profileStore = new DynamoDbProfileStore(doc, LOCAL_TABLES.profiles);
  const reports = new DynamoDbReportCounters(doc, LOCAL_TABLES.profiles);
  const profile = createProfileHandler({
    profiles: profileStore,
    clock: systemClock,
    reports,
    audiences: { audiences, profiles: profileStore, events: new DynamoDbEventStore(doc, LOCAL_TABLES.profiles), bus: { publish: (entries) => bus!.publish(entries) }, clock: systemClock },
  });
  const wait = createWaitHandler(waitDeps({ doc, profilesTable: LOCAL_TABLES.profiles }));
  // Jumps publish on the bus, whose rules start state machines: bound once the bus exists, below.
  let bus: InProcessBus | undefined;
  const jumpFn = createJumpHandler({ bus: { publish: (entries) => bus!.publish(entries) } });
  const stepFunctions = new LocalStepFunctions(
    {
      [DEFAULT_RESOURCES.send]: localFunction('send', send),
      [DEFAULT_RESOURCES.profile]: localFunction('profile', profile),
      [DEFAULT_RESOURCES.wait]: localFunction('wait', wait),
      [DEFAULT_RESOURCES.jump]: localFunction('jump', jumpFn),
      [DEFAULT_RESOURCES.decide]: localFunction(
        'decide',
        createDecideHandler({
          ...decisionDeps({ doc, profilesTable: LOCAL_TABLES.profiles, offers: () => workspace.offers }),
          decisions: (id) => (Object.hasOwn(workspace.decisions, id) ? workspace.decisions[id] : undefined),
          profiles: profileStore,
          log: logger('journey-decide', level),
        }),
      ),
      [CAMPAIGN_FUNCTION]: localFunction(
        'campaign',
        createCampaignHandler(
          campaignDeps({
            doc,
            profilesTable: LOCAL_TABLES.profiles,
            campaigns: (id) => (Object.hasOwn(workspace.campaigns, id) ? workspace.campaigns[id] : undefined),
            audiences: () => workspace.audiences,
            sink: new FolderExportSink(exportsDir),
            send: sending,
            bus: { publish: (entries) => bus!.publish(entries) },
            log: logger('campaign', level),
            // The emulators serve every call from this one process: a few batches at once is all they take.
            maxConcurrency: 4,
            // The pace of sends is real time, never scaled: a rate limit is a rate limit.
            ...(options.campaignPageSize ? { pageSize: options.campaignPageSize } : {}),
          }),
        ),
      ),
      [AUDIENCE_JOBS_FUNCTION]: localFunction(
        'audience-jobs',
        createAudienceJobsHandler(
          audienceJobDeps({
            doc,
            profilesTable: LOCAL_TABLES.profiles,
            audiences,
            sink: new FolderExportSink(exportsDir),
            bus: { publish: (entries) => bus!.publish(entries) },
            log: logger('audience-jobs', level),
            ...(options.exportPageSize ? { pageSize: options.exportPageSize } : {}),
          }),
        ),
      ),
      // Locally a webhook may call a server on this machine; secrets come from JO_SECRET_<NAME>.
      [DEFAULT_RESOURCES.webhook]: localFunction(
        'webhook',
        createWebhookHandler(webhookDeps({ doc, profilesTable: LOCAL_TABLES.profiles, actions, secrets: new EnvironmentSecrets(), allowLoopback: true, log: logger('journey-webhook', level) })),
      ),
    },
    options.timeScale ?? 1,
  );
  const runStore = new DynamoDbRunStore(doc, LOCAL_TABLES.profiles);
  const starter = localFunction('starter', createStarterHandler({ executions: stepFunctions, runs: runStore, clock: systemClock, reports, log: logger('journey-starter', level) }));
  const runs = localFunction('runs', createRunsHandler({ reports, runs: runStore, profiles: new DynamoDbProfileStore(doc, LOCAL_TABLES.profiles), executions: stepFunctions, clock: systemClock, log: logger('journey-runs', level) }));
  // Like the rule on Step Functions' "Execution Status Change" events.
  stepFunctions.onStatusChange(async (detail) => {
    await runs({ kind: 'ended', detail });
  });

  // The same rules, with the same target inputs, as the CDK app: the rule's static part and the event's detail.
  const rulesFor = (ws: Workspace): LocalRule[] => ws.journeys.flatMap(({ journey, definition, version }) => {
    const entry = entryRule(journey, version);
    const jump = jumpRule(journey, version);
    const stateMachineArn = stepFunctions.register(journey.id, definition, version);
    return [
      { name: `journey-${journey.id}`, eventPattern: entry.eventPattern, deliver: (event) => starter({ ...entry.target, stateMachineArn, detail: event.detail }) },
      { name: `journey-${journey.id}-jump`, eventPattern: jump.eventPattern, deliver: (event) => starter({ ...jump.target, stateMachineArn, detail: event.detail }) },
      ...runRules(journey).map((rule) => ({
        name: `journey-${journey.id}-${rule.kind}`,
        eventPattern: rule.eventPattern,
        deliver: (event: { detail: unknown }) => runs({ ...rule.target, detail: event.detail }),
      })),
    ];
  });
  const deadLetterFile = options.dataDir ? join(options.dataDir, 'dead-letters.jsonl') : undefined;
  bus = new InProcessBus(rulesFor(workspace), {
    onDeadLetter: (d: DeadLetter) => {
      console.warn(`dead letter: rule ${d.rule}, event ${d.entry.detail.event.id}: ${d.error}`);
      if (deadLetterFile) appendFileSync(deadLetterFile, `${JSON.stringify(d)}\n`);
    },
  });

  const ingestWiring = ingestDeps({ doc, profilesTable: LOCAL_TABLES.profiles, bus, tokens: stepFunctions, audiences, decisions: () => Object.values(workspace.decisions), log: logger('ingest', level) });
  const ingest = createIngestHandler(ingestWiring);
  // SES's feedback, locally: the mailbox simulator addresses answer as SES does (bounce, complaint, success),
  // through the same feedback handler the configuration set's EventBridge rule invokes on AWS.
  const feedbackLog = logger('feedback', level);
  const feedback = createFeedbackHandler({
    ...ingestWiring,
    suppressions: new DynamoDbSuppressions(doc, LOCAL_TABLES.profiles, systemClock),
    reports,
    deliverability: { store: new DynamoDbDeliverability(doc, LOCAL_TABLES.profiles, 0), rules: workspace.deliverability, log: feedbackLog },
    log: feedbackLog,
  });
  sesClient.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if ((context as { commandName?: string }).commandName === 'SendEmailCommand') {
        const input = args.input as { Destination?: { ToAddresses?: string[] }; EmailTags?: Array<{ Name: string; Value: string }> };
        const messageId = (result.output as { MessageId?: string }).MessageId ?? '';
        const tags = Object.fromEntries((input.EmailTags ?? []).map((t) => [t.Name, t.Value]));
        for (const to of input.Destination?.ToAddresses ?? []) {
          for (const detail of simulatorFeedback(to, messageId, tags, new Date().toISOString())) {
            const pending = feedback({ 'detail-type': 'SES event', source: 'aws.ses', detail }, lambdaContext('feedback'))
              .catch((e: Error) => console.warn(`feedback not handled: ${e.message}`))
              .finally(() => feedbackInFlight.delete(pending));
            feedbackInFlight.add(pending);
          }
        }
      }
      return result;
    },
    { step: 'initialize', name: 'localSesFeedback' },
  );
  const jobsStateMachineArn = stepFunctions.register('audience-jobs', audienceJobsDefinition(), 'v1');
  const campaignStateMachineArn = stepFunctions.register('campaign-runs', campaignRunDefinition(), 'v1');
  const campaignRuns = new DynamoDbCampaignRuns(doc, LOCAL_TABLES.profiles);
  const campaignApi = createCampaignApiHandler({
    campaigns: (id) => (Object.hasOwn(workspace.campaigns, id) ? workspace.campaigns[id] : undefined),
    runs: campaignRuns,
    executions: stepFunctions,
    stateMachineArn: campaignStateMachineArn,
    newRunId: randomUUID,
    reports,
    clock: systemClock,
    log: logger('campaign-api', level),
  });
  const profileApi = createProfileApiHandler(
    profileApiDeps({
      doc,
      profilesTable: LOCAL_TABLES.profiles,
      ledgerTable: LOCAL_TABLES.ledger,
      executions: stepFunctions,
      audienceIds: () => audienceSet.audiences.map((a) => a.id),
      jobsStateMachineArn,
      log: logger('profile-api', level),
    }),
  );
  const authorizer = createAuthorizerHandler({ keys: new StaticApiKeys([apiKey]) });
  const api = await startHttpApi({
    port: options.apiPort ?? 3000,
    routes: [
      ...INGEST_ROUTES.map((r) => ({ ...r, name: 'ingest', handler: ingest })),
      ...PROFILE_ROUTES.map((r) => ({ ...r, name: 'profile-api', handler: profileApi })),
      ...CAMPAIGN_ROUTES.map((r) => ({ ...r, name: 'campaign-api', handler: campaignApi })),
      ...REPORT_ROUTES.map((r) => ({
        ...r,
        name: 'report-api',
        handler: createReportApiHandler({
          journeys: (id) => {
            const found = workspace.journeys.find((j) => j.journey.id === id);
            return found ? reportShape(found.journey) : undefined;
          },
          counters: reports,
          clock: systemClock,
          log: logger('report-api', level),
        }),
      })),
      ...DECISION_ROUTES.map((r) => ({
        ...r,
        name: 'decision-api',
        handler: createDecisionApiHandler({
          ...decisionDeps({ doc, profilesTable: LOCAL_TABLES.profiles, offers: () => workspace.offers }),
          decisions: (id) => (Object.hasOwn(workspace.decisions, id) ? workspace.decisions[id] : undefined),
          profiles: profileStore,
          identities: new DynamoDbIdentityStore(doc, LOCAL_TABLES.profiles),
          log: logger('decision-api', level),
        }),
      })),
      ...UNSUBSCRIBE_ROUTES.map((r) => ({ ...r, name: 'unsubscribe', handler: createUnsubscribeHandler({ profiles: profileStore, clock: systemClock, key: unsubscribe.key, log: logger('unsubscribe', level) }) })),
    ],
    authorizer,
    pages: { '/report': () => readFileSync(REPORT_PAGE, 'utf8'), '/report/': () => readFileSync(REPORT_PAGE, 'utf8') },
    index: () => ({
      name: 'open-journeys (local)',
      reportPage: `${'/report'}#journey=<id>&key=<api key>`,
      routes: [...INGEST_ROUTES, ...PROFILE_ROUTES, ...CAMPAIGN_ROUTES, ...REPORT_ROUTES, ...DECISION_ROUTES, ...UNSUBSCRIBE_ROUTES].map((r) => `${r.method} ${r.path}`),
      mailViewer: ses.url,
      pushAndSmsOutbox: messaging.url,
      journeys: workspace.journeys.map((j) => ({ id: j.journey.id, entry: j.journey.entry.event })),
    }),
  });
  unsubscribe.url = `${api.url}/unsubscribe`;

  const idle = async () => {
    // Deliveries start executions and executions publish back (jumps, feedback): settle until nothing new starts.
    for (let started = -1; started !== stepFunctions.executions.size || feedbackInFlight.size > 0; ) {
      started = stepFunctions.executions.size;
      await bus.idle();
      await stepFunctions.idle();
      await Promise.all(feedbackInFlight);
      await bus.idle();
    }
  };
  const jobs = new DynamoDbAudienceJobs(doc, LOCAL_TABLES.profiles);
  const audiencePass = async (at?: string): Promise<AudienceJob> => {
    const jobId = `pass-${randomUUID()}`;
    await stepFunctions.start({ stateMachineArn: jobsStateMachineArn, name: jobId, input: { kind: 'pass', jobId, ...(at ? { at } : {}) } });
    await idle();
    return (await jobs.get('*', jobId))!;
  };
  // The local stand-in for the EventBridge Scheduler schedule of the pass (infra/constructs/audiences.ts).
  const passEvery = options.audiencePassEveryMs ?? 86_400_000;
  const passTimer = passEvery > 0 ? setInterval(() => void audiencePass().catch((e: Error) => console.warn(`audience pass failed: ${e.message}`)), passEvery) : undefined;
  passTimer?.unref();
  // The local stand-in for EventBridge Scheduler: one cron per scheduled campaign, the same state machine.
  const scheduler = new CampaignScheduler(async (campaignId, runId) => {
    await stepFunctions.start({ stateMachineArn: campaignStateMachineArn, name: runId, input: { campaignId, runId } });
  });
  if (options.schedules !== false) scheduler.set(workspace.campaigns);
  return {
    apiUrl: api.url,
    exportsDir,
    audiencePass,
    fireCampaign: (campaignId, at) => scheduler.fire(campaignId, at ?? new Date()),
    mailUrl: ses.url,
    messagingUrl: messaging.url,
    dynamoUrl: dynamo.url,
    apiKey,
    get workspace() {
      return workspace;
    },
    async reload() {
      const next = loadWorkspace(root);
      const before = new Map(workspace.journeys.map((j) => [j.journey.id, j.version]));
      for (const name of Object.keys(templates)) delete templates[name];
      Object.assign(templates, next.templates);
      frequencyCaps.splice(0, frequencyCaps.length, ...next.frequencyCaps);
      optInLists.clear();
      for (const l of next.optInLists) optInLists.add(l);
      for (const name of Object.keys(actions)) delete actions[name];
      Object.assign(actions, next.actions);
      bus!.setRules(rulesFor(next));
      if (options.schedules !== false) scheduler.set(next.campaigns);
      audienceSet = compileAudiences(next.audiences);
      workspace = next;
      return { changed: next.journeys.filter((j) => before.get(j.journey.id) !== j.version).map((j) => j.journey.id) };
    },
    bus: bus!,
    stepFunctions,
    idle,
    async stop() {
      if (passTimer) clearInterval(passTimer);
      scheduler.stop();
      await api.close();
      await bus.idle();
      stepFunctions.stopAll();
      await stepFunctions.idle();
      await ses.close();
      await messaging.close();
      await dynamo.close();
      dynamoClient.destroy();
    },
  };
}
