import type { Context } from 'aws-lambda';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Log } from '../../functions/ports';

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

export function httpEvent(body: unknown, raw = false, path = '/events'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/events' } },
    body: raw ? (body as string) : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

export const awsError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, $metadata: {}, ...extra });
