import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { IDENTITY_TYPES, identityOf, type IdentityType } from '../../domain/identity';
import { eraseProfile, exportProfile, findProfile, publicProfile, type PrivacyDeps } from '../../domain/privacy';
import { loadProfile } from '../../domain/profile-writes';
import { HttpError, httpErrors, json, readJsonBody } from '../http';
import { profileIdParam } from '../ingest/profile-write';
import { IMPORT_SOURCE, JOB_ID, operationOf, type OperationsOf } from '../routes';
import { IMPORTS } from '../../domain/import-jobs';
import { ENGAGEMENT_JOB, learnJobKey } from '../../domain/learn-jobs';
import { importStartSchema } from './schema';
import type { AudienceJobs, Clock, Inbox } from '../../ports';

const notFound = () => new HttpError(404, 'NotFound', 'no profile with this id');

/** The identity in GET /profiles?<type>=<value>: exactly one, of a known type. */
function lookupIdentity(query: Record<string, string | undefined> | undefined): string {
  const entries = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== '');
  const types = IDENTITY_TYPES.join(', ');
  const fail = (path: string, message: string) => new HttpError(400, 'ValidationError', `${path}: ${message}`, [{ path, message }]);
  if (entries.length !== 1) throw fail('query', `give exactly one identity to look up, as ?<type>=<value> with type one of ${types}`);
  const [type, value] = entries[0]!;
  if (!(IDENTITY_TYPES as readonly string[]).includes(type)) throw fail(type, `unknown identity type; use one of ${types}`);
  return identityOf(type as IdentityType, value!);
}

export interface AudienceExportDeps {
  /** The workspace's audience ids (read on each call: the local runtime reloads). */
  audienceIds(): readonly string[];
  /** The workspace's model ids (models/<id>.json). */
  modelIds(): readonly string[];
  jobs: AudienceJobs;
  /** The audience jobs state machine (statemachines/jobs.ts). */
  jobsStateMachineArn: string;
  newJobId(): string;
}

function modelParam(event: APIGatewayProxyEventV2, deps: AudienceExportDeps): string {
  const id = event.pathParameters?.id ?? '';
  if (id !== ENGAGEMENT_JOB && !deps.modelIds().includes(id)) throw new HttpError(404, 'NotFound', `no model "${id.slice(0, 48)}" in models/ (nor ${ENGAGEMENT_JOB}); models are: ${deps.modelIds().join(', ')}`);
  return id;
}

function audienceParam(event: APIGatewayProxyEventV2, deps: AudienceExportDeps): string {
  const id = event.pathParameters?.id ?? '';
  if (!deps.audienceIds().includes(id)) throw new HttpError(404, 'NotFound', `no audience "${id.slice(0, 48)}"; audiences are: ${deps.audienceIds().join(', ')}`);
  return id;
}

type Deps = PrivacyDeps & AudienceExportDeps & { inbox: Inbox; clock: Clock };
type Operation = (event: APIGatewayProxyEventV2, deps: Deps) => Promise<APIGatewayProxyResultV2>;

const OPERATIONS: Record<OperationsOf<'profileApi'>, Operation> = {
  async findProfile(event, deps) {
    const profile = await findProfile(lookupIdentity(event.queryStringParameters), deps);
    if (!profile) throw notFound();
    return json(200, publicProfile(profile));
  },
  async getProfile(event, deps) {
    const profile = await loadProfile(deps.profiles, profileIdParam(event.pathParameters));
    if (!profile) throw notFound();
    return json(200, publicProfile(profile));
  },
  async exportProfile(event, deps) {
    const data = await exportProfile(profileIdParam(event.pathParameters), deps);
    if (!data) throw notFound();
    deps.log.info('profile exported', { events: data.events.length, sends: data.sends.length });
    return json(200, data);
  },
  async getInbox(event, deps) {
    const profile = await loadProfile(deps.profiles, profileIdParam(event.pathParameters));
    if (!profile) throw notFound();
    return json(200, { messages: await deps.inbox.list(profile.id, deps.clock.now()) });
  },
  async eraseProfile(event, deps) {
    const erased = await eraseProfile(profileIdParam(event.pathParameters), deps);
    if (!erased) throw notFound();
    return json(200, { erased: true, ...erased });
  },
  async startAudienceExport(event, deps) {
    const audienceId = audienceParam(event, deps);
    const jobId = deps.newJobId();
    await deps.executions.start({ stateMachineArn: deps.jobsStateMachineArn, name: `export-${jobId}`, input: { kind: 'export', jobId, audienceId } });
    deps.log.info('audience export started', { audience: audienceId, jobId });
    return json(202, { jobId, audienceId, status: 'running' });
  },
  async startModelJob(event, deps) {
    const modelId = modelParam(event, deps);
    const jobId = deps.newJobId();
    const at = deps.clock.now().toISOString();
    await deps.executions.start({ stateMachineArn: deps.jobsStateMachineArn, name: `learn-${jobId}`, input: { kind: 'learn', jobId, modelId, at } });
    deps.log.info('learning job started', { model: modelId, jobId });
    return json(202, { jobId, modelId, status: 'running', pages: 0, count: 0, startedAt: at, at });
  },
  async getModelJob(event, deps) {
    const modelId = modelParam(event, deps);
    const jobId = event.pathParameters?.jobId ?? '';
    const job = JOB_ID.test(jobId) ? await deps.jobs.get(learnJobKey(modelId), jobId) : undefined;
    if (!job) throw new HttpError(404, 'NotFound', 'no such learning job (it may not have started yet)');
    return json(200, { jobId: job.jobId, modelId, status: job.status, ...(job.phase ? { phase: job.phase } : {}), pages: job.pages, count: job.count, startedAt: job.startedAt, ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}), at: job.at });
  },
  async startProfileImport(event, deps) {
    const { source } = readJsonBody(event, () => importStartSchema);
    const jobId = deps.newJobId();
    await deps.executions.start({ stateMachineArn: deps.jobsStateMachineArn, name: `import-${jobId}`, input: { kind: 'import', jobId, source } });
    deps.log.info('profile import started', { jobId });
    return json(202, { jobId, source, status: 'running' });
  },
  async getProfileImport(event, deps) {
    const jobId = event.pathParameters?.jobId ?? '';
    const job = JOB_ID.test(jobId) ? await deps.jobs.get(IMPORTS, jobId) : undefined;
    if (!job) throw new HttpError(404, 'NotFound', 'no such import (it may not have started yet, or its file is missing)');
    const { cursor: _cursor, audienceId: _all, ...shown } = job;
    return json(200, shown);
  },
  async getAudienceExport(event, deps) {
    const audienceId = audienceParam(event, deps);
    const jobId = event.pathParameters?.jobId ?? '';
    const job = JOB_ID.test(jobId) ? await deps.jobs.get(audienceId, jobId) : undefined;
    if (!job) throw new HttpError(404, 'NotFound', 'no such export (it may not have started yet)');
    const { cursor: _cursor, ...shown } = job;
    return json(200, shown);
  },
};

/**
 * GET /profiles?email=..., GET /profiles/{id}, GET /profiles/{id}/export, DELETE /profiles/{id}, and audience
 * exports: POST /audiences/{id}/exports starts one (the jobs state machine), GET .../exports/{jobId} follows it.
 */
export function createProfileApiHandler(deps: Deps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .handler(async (event) => {
      const op = operationOf('profileApi', event);
      if (!op) throw new HttpError(404, 'NotFound', 'no such route');
      return OPERATIONS[op](event, deps);
    });
}
