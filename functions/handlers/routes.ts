import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Scope } from '../domain/auth';

// The HTTP API, one line a route: method, path, the function behind it and the operation it runs. The CDK app
// creates the routes from it, the local server serves it, the API handlers dispatch on its operation ids, and
// the OpenAPI reference is generated from it (each operation's documentation: routes-doc.ts, by operation id).
// Writes to profiles go through the ingest function (one path changes profiles from outside: stitching,
// history, bus, audiences); reads, the data export and erasure through the profile API function.

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The functions that serve HTTP routes (their keys in functions/catalogue.ts). */
export type ApiFunction = 'ingest' | 'profileApi' | 'campaignApi' | 'reportApi' | 'decisionApi' | 'templateApi' | 'unsubscribe';

export interface RouteSpec {
  method: Method;
  /** API Gateway's form: /profiles/{id} */
  path: string;
  fn: ApiFunction;
  operationId: string;
  /** The scope an API key needs for it (functions/domain/auth.ts); none with tokenAuth. */
  scope?: Scope;
  /** No API key: the request carries its own credential (an HMAC-signed token). */
  tokenAuth?: true;
}

export const ROUTES = [
  { method: 'POST', path: '/events', fn: 'ingest', operationId: 'trackEvents', scope: 'write' },
  { method: 'POST', path: '/v1/track', fn: 'ingest', operationId: 'segmentTrack', scope: 'write' },
  { method: 'POST', path: '/v1/identify', fn: 'ingest', operationId: 'segmentIdentify', scope: 'write' },
  { method: 'POST', path: '/v1/alias', fn: 'ingest', operationId: 'segmentAlias', scope: 'write' },
  { method: 'POST', path: '/v1/batch', fn: 'ingest', operationId: 'segmentBatch', scope: 'write' },
  { method: 'PUT', path: '/profiles/{id}', fn: 'ingest', operationId: 'replaceProfile', scope: 'write' },
  { method: 'PATCH', path: '/profiles/{id}', fn: 'ingest', operationId: 'updateProfile', scope: 'write' },
  { method: 'POST', path: '/profiles/import', fn: 'ingest', operationId: 'importProfiles', scope: 'write' },
  { method: 'GET', path: '/profiles', fn: 'profileApi', operationId: 'findProfile', scope: 'read' },
  { method: 'GET', path: '/profiles/{id}', fn: 'profileApi', operationId: 'getProfile', scope: 'read' },
  { method: 'GET', path: '/profiles/{id}/export', fn: 'profileApi', operationId: 'exportProfile', scope: 'admin' },
  { method: 'DELETE', path: '/profiles/{id}', fn: 'profileApi', operationId: 'eraseProfile', scope: 'admin' },
  { method: 'GET', path: '/profiles/{id}/inbox', fn: 'profileApi', operationId: 'getInbox', scope: 'read' },
  { method: 'POST', path: '/audiences/{id}/exports', fn: 'profileApi', operationId: 'startAudienceExport', scope: 'admin' },
  { method: 'GET', path: '/audiences/{id}/exports/{jobId}', fn: 'profileApi', operationId: 'getAudienceExport', scope: 'admin' },
  { method: 'POST', path: '/imports', fn: 'profileApi', operationId: 'startProfileImport', scope: 'admin' },
  { method: 'GET', path: '/imports/{jobId}', fn: 'profileApi', operationId: 'getProfileImport', scope: 'admin' },
  { method: 'POST', path: '/campaigns/{id}/trigger', fn: 'campaignApi', operationId: 'triggerCampaign', scope: 'write' },
  { method: 'GET', path: '/campaigns/{id}/runs/{runId}', fn: 'campaignApi', operationId: 'getCampaignRun', scope: 'read' },
  { method: 'POST', path: '/campaigns/{id}/runs/{runId}/{action}', fn: 'campaignApi', operationId: 'controlCampaignRun', scope: 'write' },
  { method: 'GET', path: '/campaigns/{id}/report', fn: 'campaignApi', operationId: 'getCampaignReport', scope: 'read' },
  { method: 'POST', path: '/catalog/events', fn: 'campaignApi', operationId: 'postCatalogEvents', scope: 'write' },
  { method: 'GET', path: '/journeys/{id}/report', fn: 'reportApi', operationId: 'getJourneyReport', scope: 'read' },
  { method: 'GET', path: '/models/{id}/report', fn: 'reportApi', operationId: 'getModelReport', scope: 'read' },
  { method: 'POST', path: '/models/{id}/jobs', fn: 'profileApi', operationId: 'startModelJob', scope: 'admin' },
  { method: 'GET', path: '/models/{id}/jobs/{jobId}', fn: 'profileApi', operationId: 'getModelJob', scope: 'admin' },
  { method: 'POST', path: '/decisions', fn: 'decisionApi', operationId: 'decide', scope: 'write' },
  { method: 'POST', path: '/templates/{id}/preview', fn: 'templateApi', operationId: 'previewTemplate', scope: 'read' },
  { method: 'POST', path: '/templates/{id}/proof', fn: 'templateApi', operationId: 'sendProof', scope: 'write' },
  // The unsubscribe link of marketing emails: reached from mail clients, so authenticated by its signed token.
  { method: 'GET', path: '/unsubscribe', fn: 'unsubscribe', operationId: 'unsubscribeLink', tokenAuth: true },
  { method: 'POST', path: '/unsubscribe', fn: 'unsubscribe', operationId: 'unsubscribeOneClick', tokenAuth: true },
  // The preference page a template links to ({{preferencesUrl}}): the lists a profile gets, by channel.
  { method: 'GET', path: '/preferences', fn: 'unsubscribe', operationId: 'getPreferences', tokenAuth: true },
  { method: 'POST', path: '/preferences', fn: 'unsubscribe', operationId: 'setPreferences', tokenAuth: true },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof ROUTES)[number];
export type OperationId = Route['operationId'];
/** The operations a function serves: a handler keeps a Record over them, so TypeScript names one it misses. */
export type OperationsOf<F extends ApiFunction> = Extract<Route, { fn: F }>['operationId'];

export const routesOf = (fn: ApiFunction): RouteSpec[] => ROUTES.filter((r) => r.fn === fn);
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;

const BY_KEY = new Map<string, RouteSpec>(ROUTES.map((r) => [routeKey(r), r]));

/** The operation of a request, from API Gateway's route key (`POST /events`); undefined for any other. */
export function operationOf<F extends ApiFunction>(fn: F, event: Pick<APIGatewayProxyEventV2, 'routeKey'>): OperationsOf<F> | undefined {
  const route = BY_KEY.get(event.routeKey);
  const op: string | undefined = route?.fn === fn ? route.operationId : undefined;
  return op as OperationsOf<F> | undefined;
}

/** An import's file: a key under imports/ of the exports bucket (a folder locally). */
export const IMPORT_SOURCE = /^imports\/(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

/** Audience job ids: they name files and executions. */
export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,79}$/;

/** The path parameters when `path` matches the route's path, decoded; undefined when it does not match. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const part = want[i]!;
    if (part.startsWith('{') && part.endsWith('}')) {
      if (have[i] === '') return undefined;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(have[i]!);
      } catch {
        return undefined;
      }
    } else if (part !== have[i]) return undefined;
  }
  return params;
}

/** The scope a route key (`GET /journeys/{id}/report`) needs; undefined for no route of the API key's. */
export function scopeOf(routeKey: string): Scope | undefined {
  return BY_KEY.get(routeKey)?.scope;
}
