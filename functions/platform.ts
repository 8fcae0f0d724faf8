import type { Model } from '../statemachines/schema/model';
import type { MiddyfiedHandler } from '@middy/core';
import type { Audience, Campaign, MessageTemplate } from '../statemachines';
import type { Action } from './domain/action-schema';
import type { Decision, Offer } from './domain/offers';
import type { ReportShape } from './domain/reports';
import type { JourneyCap, Rules } from './domain/rules';
import type { FanOut } from './domain/fan-out';
import type { Attributes } from './domain/attributes';
import type { ApiKeySource, Bus, EntryDirectory, EventQueue, Executions, ExportSink, FrequencyCap, Log, ResumeSchedules, SecretStore, TaskTokens } from './ports';

// What a function's dependencies are built from: AWS (functions/platform-aws.ts: the Lambda environment, the
// workspace slices bundled with the function) or the local runtime (local/platform.ts: the emulators, the
// in-process bus and Step Functions, the workspace as last loaded). Each function's `function.ts` builds its
// dependencies from a Platform, so a Lambda and the local runtime construct them the same way.

/** The environment a function reads: each name set by the CDK construct that grants the access it stands for. */
export type Setting =
  | 'PROFILES_TABLE'
  | 'SEND_LEDGER_TABLE'
  | 'EVENT_BUS_NAME'
  | 'EXPORTS_BUCKET'
  | 'FROM_ADDRESS'
  | 'CONFIGURATION_SET'
  | 'PINPOINT_APPLICATION_ID'
  | 'SMS_ORIGINATION_IDENTITY'
  | 'AUDIENCE_JOBS_STATE_MACHINE_ARN'
  | 'CAMPAIGN_STATE_MACHINE_ARN'
  | 'API_KEYS_SECRET_ARN'
  | 'UNSUBSCRIBE_KEY_SECRET_ARN'
  | 'UNSUBSCRIBE_URL'
  | 'EVENTS_QUEUE_URL'
  /** Optional limits of the ingest API: see functions/handlers/ingest/function.ts. */
  | 'MAX_FUTURE_SECONDS'
  | 'INGEST_MAX_QUEUE_DEPTH'
  | 'INGEST_MAX_QUEUE_AGE_SECONDS'
  /** EventBridge Scheduler: where parked Express runs' resume schedules go (see infra/constructs/resumes.ts). */
  | 'RESUME_SCHEDULE_GROUP'
  | 'RESUME_TARGET_ARN'
  | 'RESUME_ROLE_ARN'
  | 'RESUME_DLQ_ARN';

/** The parts of the workspace a function may read, each bundled only into the functions that declare it. */
export interface Slices {
  templates: Record<string, MessageTemplate>;
  audiences: Audience[];
  campaigns: Record<string, Campaign>;
  offers: Offer[];
  decisions: Record<string, Decision>;
  actions: Record<string, Action>;
  /** rules.json, as the sends apply it. */
  rules: { frequencyCaps: FrequencyCap[]; optInLists: string[]; quietHours?: Rules['quietHours']; deliverability: Rules['deliverability']; proofLists: Rules['proofLists']; lists: string[] };
  /** attributes.json, or null when the workspace has none (then any attribute may be written). */
  attributes: Attributes | null;
  /** rules.json journeyCaps (the starter checks them). */
  journeyCaps: JourneyCap[];
  /** The journeys entered by a catalog event's fan-out (the apply function indexes their interests). */
  fanOuts: FanOut[];
  /** Propensity models (models/<id>.json): the learning job trains them, scores profiles. */
  models: Model[];
}
export type SliceName = keyof Slices;

/** SDK client options a function may set (provider clients: one attempt, the state machine retries). */
export interface ClientOptions {
  maxAttempts?: number;
}

/** What runs in-process in the local runtime in place of an AWS service. */
export interface LocalServices {
  bus: Bus;
  /** The accepted events' queue (SQS FIFO on AWS). */
  queue: EventQueue;
  executions: Executions & TaskTokens;
  /** Resume schedules of parked Express runs (EventBridge Scheduler on AWS). */
  schedules: ResumeSchedules;
  sink: ExportSink;
  secrets: SecretStore;
  apiKeys: ApiKeySource;
  unsubscribeKey: () => Promise<string>;
  /** What the report needs of a journey (on AWS, its journey stack writes it to the table). */
  reportShapes: (journeyId: string) => ReportShape | undefined;
  /** The entry directory (on AWS, each journey stack writes its journeys' listings to the table). */
  entries: EntryDirectory;
}

/** Local tuning: one process serves every emulator and handler. */
export interface Tuning {
  /** How long a send trusts the deliverability guard state it read (ms). */
  guardCacheMs?: number;
  campaignConcurrency?: number;
  campaignPageSize?: number;
  exportPageSize?: number;
  /** Webhooks may call servers on this machine. */
  allowLoopback?: boolean;
}

export interface Platform {
  /** The SDK client of this class: made once per platform and options, the only place clients are constructed. */
  client<C>(Class: new (config: ClientOptions & Record<string, unknown>) => C, options?: ClientOptions): C;
  /** A value made once per platform (a document client over the DynamoDB client, a compiled audience set...). */
  once<T>(key: string, make: () => T): T;
  /** A setting, required: throws naming it when it is missing. */
  setting(name: Setting): string;
  /** A setting that may be absent. */
  optional(name: Setting): string | undefined;
  /** A slice of the workspace (read on each call: the local runtime reloads the workspace). */
  workspace<K extends SliceName>(name: K): Slices[K];
  log(service: string): Log;
  /** In-process stand-ins, locally; absent on AWS. */
  local?: Partial<LocalServices>;
  tuning?: Tuning;
}

type ClientClass<C = unknown> = new (config: ClientOptions & Record<string, unknown>) => C;

/**
 * What every platform keeps the same way: one client per class and options, made by `make` (each platform says
 * where its clients point), and one value per key.
 */
export function memo(make: (Class: ClientClass, options: ClientOptions) => unknown): Pick<Platform, 'client' | 'once'> {
  const clients = new Map<ClientClass, Map<string, unknown>>();
  const values = new Map<string, unknown>();
  return {
    client(Class, options = {}) {
      const byOptions = clients.get(Class) ?? new Map<string, unknown>();
      clients.set(Class, byOptions);
      const key = JSON.stringify(options);
      if (!byOptions.has(key)) byOptions.set(key, make(Class, options));
      return byOptions.get(key) as never;
    },
    once(key, make) {
      if (!values.has(key)) values.set(key, make());
      return values.get(key) as never;
    },
  };
}

/** One entry of a workspace slice that is a record by id (campaigns, decisions, actions). */
export function sliceEntry<K extends 'campaigns' | 'decisions' | 'actions'>(p: Platform, name: K, id: string): Slices[K][string] | undefined {
  const slice = p.workspace(name);
  return Object.hasOwn(slice, id) ? (slice[id] as Slices[K][string]) : undefined;
}

/** The DynamoDB profiles table. */
export const profilesTable = (p: Platform) => p.setting('PROFILES_TABLE');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
/** A Lambda function of the product, declared once: the Lambda entry, the local runtime and the CDK app read it. */
export interface FunctionDef<E = any, R = any> {
  /** Its folder under functions/handlers. */
  name: string;
  description: string;
  /** Settings it needs: the CDK app fails synth when one is not set, and the platforms refuse any other. */
  settings: readonly Setting[];
  /** Settings it reads when they are set. */
  optional?: readonly Setting[];
  /** Workspace slices bundled with it; the platforms refuse any other. */
  slices: readonly SliceName[];
  /** The handler, from its dependencies built from a platform. */
  create(p: Platform): MiddyfiedHandler<E, R, any, any>;
  /** Figures of a result worth a metric (functions/observability.ts). */
  metrics?: (result: R) => Record<string, number>;
}

export const defineFunction = <E, R>(def: FunctionDef<E, R>): FunctionDef<E, R> => def;

/**
 * The platform as one function may see it: a setting or slice it did not declare is an error, so what the
 * catalogue says a function needs is what it reads (the local runtime and the tests run every function so).
 */
export function scoped(p: Platform, def: Pick<FunctionDef, 'name' | 'settings' | 'optional' | 'slices'>): Platform {
  const refuse = (what: string): never => {
    throw new Error(`${def.name} reads ${what}, which its function.ts does not declare`);
  };
  const declared = (name: Setting) => def.settings.includes(name) || def.optional?.includes(name) === true;
  return {
    ...p,
    setting: (name) => (declared(name) ? p.setting(name) : refuse(`the setting ${name}`)),
    optional: (name) => (declared(name) ? p.optional(name) : refuse(`the setting ${name}`)),
    workspace: (name) => (def.slices.includes(name) ? p.workspace(name) : refuse(`the workspace slice ${name}`)),
  };
}
