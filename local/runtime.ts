import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointClient } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { startMessaging } from './messaging';
import { audienceJobsDefinition, campaignRunDefinition, type Campaign } from '../statemachines';
import { learningSchedules } from '../workspace/learning';
import { learnJobKey } from '../functions/domain/learn-jobs';
import { ledgerTableDefinition, profilesTableDefinition } from '../functions/adapters/dynamodb-tables';
import { EnvironmentSecrets, StaticApiKeys } from '../functions/adapters/secrets';
import { DynamoDbAudienceJobs } from '../functions/adapters/dynamodb-audience-jobs';
import { documentClient } from '../functions/adapters/dynamodb-client';
import { FUNCTIONS, TASK_FUNCTIONS, type FunctionKey } from '../functions/catalogue';
import { ROUTES, routeKey } from '../functions/handlers/routes';
import { simulatorFeedback } from '../functions/domain/feedback';
import { reportShape } from '../functions/domain/report-shape';
import { scoped, type Setting } from '../functions/platform';
import type { AudienceJob, WaitingRef } from '../functions/ports';
import { logRef, type LogLevel } from '../functions/logger';
import { loadWorkspace, type Workspace } from '../workspace/load';
import { InProcessBus, type DeadLetter, type LocalRule } from './bus';
import { ensureTables, startDynamo, startSes } from './emulators';
import { FolderExportSink } from './folder-sink';
import { startHttpApi, type Route } from './http';
import { localFunction, type LocalFunction } from './lambda';
import { localPlatform } from './platform';
import { CampaignScheduler, LocalResumeScheduler } from './scheduler';
import { executionFromEnvironment, orphanedStandardRuns, parkedRuns, stoppedExecution } from './recovery';
import { LocalFifoQueue } from './queue';
import type { SQSBatchResponse } from 'aws-lambda';
import { SCOPES } from '../functions/domain/auth';
import { LocalStepFunctions, localStateMachineArn } from './stepfunctions';
import { busRules, localEntries } from './rules';

// The embedded runtime: the whole product on one machine, no AWS account. The same functions (the catalogue,
// functions/catalogue.ts) built from a local platform (local/platform.ts): the same handlers, the same compiled
// state machines, the same SDK clients pointed at local emulators; the bus and Step Functions run in-process.

export interface LocalOptions {
  workspace: string;
  /** Ports: 0 (the default) picks a free one, so runtimes side by side never collide; npm start passes 3000, 8005-8007. */
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
  /** Told of every function invocation (`jo cost` counts Lambda requests). */
  onInvoke?: (fn: string, event: unknown) => void;
  /** Run campaign schedules (default true). */
  schedules?: boolean;
  /** How often the membership pass of time-based audiences runs (default daily; 0: never on its own). */
  audiencePassEveryMs?: number;
  logLevel?: LogLevel;
  /** Apply accepted events as they arrive (default true; the benchmark of the API path alone turns it off). */
  consume?: boolean;
  /** The ingest API's limits (the defaults: LOCAL_INGEST_LIMITS). */
  ingestLimits?: Partial<typeof LOCAL_INGEST_LIMITS>;
  /** Runs every journey in this mode, whatever it asks for (the suite runs the journey tests in each). */
  execution?: 'express' | 'standard';
}

/**
 * Locally one process applies what the API accepts (some 50-100 events a second on 2 cores): beyond a minute
 * behind, the API answers 503 with Retry-After instead of letting the backlog grow.
 */
export const LOCAL_INGEST_LIMITS = { maxDepth: 10_000, maxAgeSeconds: 60, maxFutureSeconds: 900 };

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
  /** The accepted events' queue (SQS FIFO on AWS). */
  queue: LocalFifoQueue;
  stepFunctions: LocalStepFunctions;
  /** The resume schedules of parked Express runs (EventBridge Scheduler on AWS). */
  resumes: LocalResumeScheduler;
  /** Resolves when no bus delivery or execution is under way. */
  idle(): Promise<void>;
  /** Runs the membership pass of time-based audiences now (as the daily schedule does), evaluated at `at`. */
  audiencePass(at?: string): Promise<AudienceJob>;
  /** Runs a learning job now (as its schedule does): a model's training and scoring, or `engagement`. */
  learn(modelId: string, at?: string): Promise<AudienceJob>;
  /** Where audience exports are written. */
  exportsDir: string;
  /** Fires a scheduled campaign now, as its schedule would (a run id from the fire time). */
  fireCampaign(campaignId: string, at?: Date): Promise<string>;
  /** Delivers a parked run's resume schedule now, as EventBridge Scheduler would (the runs function). */
  resumeNow(ref: WaitingRef): Promise<unknown>;
  stop(): Promise<void>;
}

/** The report page: one static file, served here and deployable anywhere (it calls the API with a key). */
export const REPORT_PAGE = resolve(import.meta.dirname, '../report/index.html');

/** For tests and benchmarks: free ports, no schedules, no daily pass, no logs. */
export const EMBEDDED = { apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, schedules: false, logLevel: 'SILENT' } as const satisfies Partial<LocalOptions>;

export const LOCAL_TABLES = { profiles: 'journeys-profiles', ledger: 'journeys-send-ledger' } as const;
export const DEFAULT_API_KEY = 'local-dev-key';
/** A local key with the read scope only: reports and profile reads (the report page's links use it). */
export const READ_API_KEY = 'local-read-key';

export async function startLocalRuntime(options: LocalOptions): Promise<LocalRuntime> {
  const root = resolve(options.workspace);
  const execution = options.execution ?? executionFromEnvironment();
  const load = () => loadWorkspace(root, undefined, execution ? { execution } : {});
  let workspace = load();
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const level = options.logLevel ?? 'WARN';
  const unsubscribeKey = options.unsubscribeKey ?? 'local-unsubscribe-key';
  const feedbackInFlight = new Set<Promise<unknown>>();
  // With no data dir and no exports dir, exports go to a temporary folder, removed on stop.
  const temporaryExports = !options.exportsDir && !options.dataDir;
  const exportsDir = resolve(options.exportsDir ?? (options.dataDir ? join(options.dataDir, '..', 'exports') : mkdtempSync(join(tmpdir(), 'journeys-exports-'))));
  const dynamo = await startDynamo(options.dynamoPort ?? 0, options.dataDir ? join(options.dataDir, 'dynamodb') : undefined);
  const ses = await startSes(options.sesPort ?? 0);
  const messaging = await startMessaging(options.messagingPort ?? 0);

  // The HTTP API listens first: its URL is the unsubscribe links' (a setting of the sending functions). Routes
  // and the authorizer are bound once the functions exist, below.
  const routes: Route[] = [];
  const functions = {} as Record<FunctionKey, LocalFunction>;
  const api = await startHttpApi({
    port: options.apiPort ?? 0,
    routes,
    authorizer: (event) => functions.authorizer(event) as never,
    pages: { '/report': () => readFileSync(REPORT_PAGE, 'utf8'), '/report/': () => readFileSync(REPORT_PAGE, 'utf8') },
    index: () => ({
      name: 'open-journeys (local)',
      reportPage: `/report#journey=<id>&key=${READ_API_KEY}`,
      routes: ROUTES.map(routeKey),
      mailViewer: ses.url,
      pushAndSmsOutbox: messaging.url,
      journeys: workspace.journeys.map((j) => ({ id: j.journey.id, entry: j.journey.entry.event ?? '(jumps and campaigns only)' })),
    }),
  });

  // In-process stand-ins: Step Functions invokes the functions by their task placeholders; the bus's rules
  // start executions. Both are bound late: the functions need them, and they need the functions.
  const tasks: Record<string, LocalFunction> = {};
  const stepFunctions = new LocalStepFunctions(tasks, options.timeScale ?? 1, options.dataDir ? join(options.dataDir, 'express-executions.jsonl') : undefined);
  let bus: InProcessBus | undefined;
  const jobsStateMachineArn = localStateMachineArn('audience-jobs');
  const campaignStateMachineArn = localStateMachineArn('campaign-runs');
  const limits = { ...LOCAL_INGEST_LIMITS, ...options.ingestLimits };
  // Accepted events wait here to be applied; kept in a journal next to the DynamoDB data, so a restart loses none.
  const queue = new LocalFifoQueue({
    ...(options.dataDir ? { file: join(options.dataDir, 'events-queue.jsonl'), deadLetterFile: join(options.dataDir, 'events-dead-letters.jsonl') } : {}),
    onDeadLetter: (m) => console.warn(`dead letter: an accepted event could not be applied after ${m.receiveCount} attempts (kept in events-dead-letters.jsonl when a data dir is set)`),
  });
  const settings: Partial<Record<Setting, string>> = {
    EVENTS_QUEUE_URL: 'local',
    MAX_FUTURE_SECONDS: String(limits.maxFutureSeconds),
    INGEST_MAX_QUEUE_DEPTH: String(limits.maxDepth),
    INGEST_MAX_QUEUE_AGE_SECONDS: String(limits.maxAgeSeconds),
    PROFILES_TABLE: LOCAL_TABLES.profiles,
    SEND_LEDGER_TABLE: LOCAL_TABLES.ledger,
    FROM_ADDRESS: options.fromAddress ?? 'no-reply@example.com',
    CONFIGURATION_SET: 'journeys',
    PINPOINT_APPLICATION_ID: 'local',
    AUDIENCE_JOBS_STATE_MACHINE_ARN: jobsStateMachineArn,
    CAMPAIGN_STATE_MACHINE_ARN: campaignStateMachineArn,
    UNSUBSCRIBE_URL: `${api.url}/unsubscribe`,
    RESUME_SCHEDULE_GROUP: 'local',
    RESUME_TARGET_ARN: 'local',
    RESUME_ROLE_ARN: 'local',
    RESUME_DLQ_ARN: 'local',
  };
  // Parked Express runs resume through the runs function, as Scheduler invokes it on AWS.
  const resumes = new LocalResumeScheduler(async (ref) => {
    await functions.runs({ kind: 'resume', ref });
  }, options.timeScale ?? 1);
  const platform = localPlatform({
    endpoints: new Map<never, string>([
      [DynamoDBClient as never, dynamo.url],
      [SESv2Client as never, ses.url],
      [PinpointClient as never, messaging.url],
      [PinpointSMSVoiceV2Client as never, messaging.url],
    ]),
    settings,
    workspace: () => workspace,
    local: {
      bus: { publish: (entries) => bus!.publish(entries) },
      queue,
      executions: stepFunctions,
      schedules: resumes,
      sink: new FolderExportSink(exportsDir),
      // Secrets for action headers come from JO_SECRET_<NAME>.
      secrets: new EnvironmentSecrets(),
      // The full key, and a read-only one for the report page's links (it can neither write nor erase).
      apiKeys: new StaticApiKeys([{ key: apiKey, scopes: SCOPES }, { key: READ_API_KEY, scopes: ['read'] }]),
      unsubscribeKey: async () => unsubscribeKey,
      entries: localEntries(() => workspace),
      reportShapes: (id) => {
        const found = workspace.journeys.find((j) => j.journey.id === id);
        return found ? reportShape(found.journey) : undefined;
      },
    },
    // One process serves every emulator and handler: a few campaign batches at once; the guard read each send;
    // webhooks may call servers on this machine. The pace of sends is real time, never scaled.
    tuning: {
      guardCacheMs: 0,
      campaignConcurrency: 4,
      allowLoopback: true,
      ...(options.campaignPageSize ? { campaignPageSize: options.campaignPageSize } : {}),
      ...(options.exportPageSize ? { exportPageSize: options.exportPageSize } : {}),
    },
    logLevel: level,
  });
  // The clients the functions use (provider clients make one attempt: see functions/adapters/deliverers.ts).
  const dynamoClient = platform.client(DynamoDBClient);
  const sesClient = platform.client(SESv2Client, { maxAttempts: 1 });
  options.instrument?.({ dynamodb: dynamoClient, ses: sesClient });
  await ensureTables(dynamoClient, [profilesTableDefinition(LOCAL_TABLES.profiles), ledgerTableDefinition(LOCAL_TABLES.ledger)]);

  // Every function of the catalogue, each seeing only the settings and slices it declares.
  for (const [key, def] of Object.entries(FUNCTIONS) as Array<[FunctionKey, (typeof FUNCTIONS)[FunctionKey]]>) {
    functions[key] = localFunction(def.name, def.create(scoped(platform, def)) as never, options.onInvoke);
  }
  for (const [placeholder, key] of Object.entries(TASK_FUNCTIONS)) tasks[placeholder] = functions[key];
  for (const route of ROUTES) routes.push({ ...route, name: FUNCTIONS[route.fn].name, handler: (event) => functions[route.fn](event) });
  // The SQS event source of the apply function: batches of 10, four at a time, in order per profile.
  if (options.consume !== false) queue.start((event) => functions.apply(event) as Promise<SQSBatchResponse>);
  // Like the rule on Step Functions' "Execution Status Change" events.
  stepFunctions.onStatusChange(async (detail) => {
    await functions.runs({ kind: 'ended', detail });
  });

  const rulesFor = (ws: Workspace): LocalRule[] => busRules(ws, stepFunctions, functions);
  const deadLetterFile = options.dataDir ? join(options.dataDir, 'dead-letters.jsonl') : undefined;
  bus = new InProcessBus(rulesFor(workspace), {
    onDeadLetter: (d: DeadLetter) => {
      console.warn(`dead letter: rule ${d.rule}, event ${logRef(d.entry.detail.event.id)} (a hash of its id): ${d.error}`);
      if (deadLetterFile) appendFileSync(deadLetterFile, `${JSON.stringify(d)}\n`);
    },
  });

  // SES's feedback, locally: the mailbox simulator addresses answer as SES does (bounce, complaint, success),
  // through the same feedback function the configuration set's EventBridge rule invokes on AWS.
  sesClient.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if ((context as { commandName?: string }).commandName === 'SendEmailCommand') {
        const input = args.input as { Destination?: { ToAddresses?: string[] }; EmailTags?: Array<{ Name: string; Value: string }> };
        const messageId = (result.output as { MessageId?: string }).MessageId ?? '';
        const tags = Object.fromEntries((input.EmailTags ?? []).map((t) => [t.Name, t.Value]));
        for (const to of input.Destination?.ToAddresses ?? []) {
          for (const detail of simulatorFeedback(to, messageId, tags, new Date().toISOString())) {
            const pending = functions
              .feedback({ 'detail-type': 'SES event', source: 'aws.ses', detail })
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
  stepFunctions.register('audience-jobs', audienceJobsDefinition(), 'v1');
  stepFunctions.register('campaign-runs', campaignRunDefinition(), 'v1');
  // After a restart on the same data: parked runs get their schedules back (the continuations are in the
  // local DynamoDB), and the Express segments that were under way run again.
  for (const item of await parkedRuns(documentClient(platform), LOCAL_TABLES.profiles)) {
    await resumes.schedule(item, new Date(item.continuation!.due), new Date(item.continuation!.parkedAt));
  }
  await stepFunctions.recover();
  // Standard executions lived in the previous process: their runs are closed as stopped, so the profiles may enter
  // again and the reports count them out.
  for (const run of options.dataDir ? await orphanedStandardRuns(documentClient(platform), LOCAL_TABLES.profiles) : []) {
    await functions.runs({ kind: 'ended', detail: stoppedExecution(run, new Date()) });
  }
  stepFunctions.parked = (key) => resumes.holds(key);

  const idle = async () => {
    // Deliveries start executions and executions publish back (jumps, feedback): settle until nothing new starts.
    // (An execution still running once all this settled, whatever started it, is waited for too.)
    const running = () => [...stepFunctions.executions.values()].some((e) => e.status === 'RUNNING');
    for (let started = -1; started !== stepFunctions.executions.size || feedbackInFlight.size > 0 || resumes.pending > 0 || running(); ) {
      started = stepFunctions.executions.size;
      // A parked run is still in its journey: wait for its resume, as for an execution in a Wait state.
      if (resumes.pending > 0) await resumes.changed();
      await resumes.idle();
      await queue.idle();
      await bus.idle();
      await stepFunctions.idle();
      await Promise.all(feedbackInFlight);
      await bus.idle();
    }
  };
  const jobs = new DynamoDbAudienceJobs(documentClient(platform), LOCAL_TABLES.profiles);
  const runJob = async (input: { kind: 'pass' | 'learn'; modelId?: string; at?: string | undefined }, jobId = `${input.kind}-${randomUUID()}`): Promise<AudienceJob> => {
    await stepFunctions.start({ stateMachineArn: jobsStateMachineArn, name: jobId, input: { ...input, jobId } });
    await idle();
    return (await jobs.get(input.kind === 'pass' ? '*' : learnJobKey(input.modelId!), jobId))!;
  };
  const audiencePass = (at?: string) => runJob({ kind: 'pass', at });
  const learn = (modelId: string, at?: string) => runJob({ kind: 'learn', modelId, at });
  // The learning jobs' schedules (workspace/learning.ts), as cron campaigns of the same local scheduler.
  const learning = new CampaignScheduler(async (id, runId) => void (await runJob({ kind: 'learn', modelId: id }, runId)));
  const learningSet = (w: Workspace) => learning.set(Object.fromEntries(learningSchedules(w).map((l) => [l.modelId, { id: l.modelId, schedule: { cron: l.cron, timeZone: 'UTC' } } as Campaign])));
  if (options.schedules !== false) learningSet(workspace);
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
    learn,
    fireCampaign: (campaignId, at) => scheduler.fire(campaignId, at ?? new Date()),
    async resumeNow(ref) {
      await resumes.cancel(ref); // fired: Scheduler deletes a one-time schedule once it ran
      return functions.runs({ kind: 'resume', ref });
    },
    mailUrl: ses.url,
    messagingUrl: messaging.url,
    dynamoUrl: dynamo.url,
    apiKey,
    get workspace() {
      return workspace;
    },
    async reload() {
      const next = load();
      const before = new Map(workspace.journeys.map((j) => [j.journey.id, j.version]));
      // The functions read the workspace through the platform: swapping it is the reload.
      bus!.setRules(rulesFor(next));
      if (options.schedules !== false) {
        scheduler.set(next.campaigns);
        learningSet(next);
      }
      workspace = next;
      return { changed: next.journeys.filter((j) => before.get(j.journey.id) !== j.version).map((j) => j.journey.id) };
    },
    bus: bus!,
    queue,
    stepFunctions,
    resumes,
    idle,
    async stop() {
      if (passTimer) clearInterval(passTimer);
      scheduler.stop();
      learning.stop();
      resumes.stop();
      await api.close();
      await queue.stop();
      await bus.idle();
      stepFunctions.stopAll();
      await stepFunctions.idle();
      await ses.close();
      await messaging.close();
      await dynamo.close();
      dynamoClient.destroy();
      sesClient.destroy();
      if (temporaryExports) rmSync(exportsDir, { recursive: true, force: true });
    },
  };
}
