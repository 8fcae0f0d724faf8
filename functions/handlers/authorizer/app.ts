import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { isAuthorized } from '../../domain/auth';
import type { ApiKeySource } from '../../ports';
import { scopeOf } from '../routes';

/**
 * The HTTP API's Lambda authorizer (simple responses): no route is open without a key, and a key may call only
 * the routes of its scopes (read, write, admin: functions/handlers/routes.ts). The answer is cached per key
 * and route (the identity sources).
 */
export function createAuthorizerHandler(deps: { keys: ApiKeySource }) {
  return middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult>().handler(async (event) => {
    const scope = scopeOf(event.routeKey);
    return { isAuthorized: scope !== undefined && isAuthorized(event.headers?.authorization ?? event.headers?.Authorization, await deps.keys.keys(), scope) };
  });
}
