import { INGEST_PATHS } from './ingest/segment';

// Every route of the HTTP API and the function behind it, for the CDK app, the local server and the docs.
// Writes to profiles go through the ingest function (one path changes profiles from outside: stitching,
// history, bus, audiences); reads, the data export and erasure through the profile API function.

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface RouteSpec {
  method: Method;
  /** API Gateway's form: /profiles/{id} */
  path: string;
  /** No API key: the request carries its own credential (an HMAC-signed token). */
  tokenAuth?: true;
}

export const INGEST_ROUTES: readonly RouteSpec[] = [
  ...INGEST_PATHS.map((path) => ({ method: 'POST' as const, path })),
  { method: 'PUT', path: '/profiles/{id}' },
  { method: 'PATCH', path: '/profiles/{id}' },
];

export const PROFILE_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/profiles' },
  { method: 'GET', path: '/profiles/{id}' },
  { method: 'GET', path: '/profiles/{id}/export' },
  { method: 'DELETE', path: '/profiles/{id}' },
  { method: 'POST', path: '/audiences/{id}/exports' },
  { method: 'GET', path: '/audiences/{id}/exports/{jobId}' },
];

export const CAMPAIGN_ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/campaigns/{id}/trigger' },
  { method: 'GET', path: '/campaigns/{id}/runs/{runId}' },
  { method: 'POST', path: '/campaigns/{id}/runs/{runId}/{action}' },
  { method: 'GET', path: '/campaigns/{id}/report' },
];

export const REPORT_ROUTES: readonly RouteSpec[] = [{ method: 'GET', path: '/journeys/{id}/report' }];

export const DECISION_ROUTES: readonly RouteSpec[] = [{ method: 'POST', path: '/decisions' }];

/** The unsubscribe link of marketing emails: reached from mail clients, so authenticated by its signed token. */
export const UNSUBSCRIBE_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/unsubscribe', tokenAuth: true },
  { method: 'POST', path: '/unsubscribe', tokenAuth: true },
];

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
