import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { isAuthorized } from '../../domain/auth';
import type { ApiKeySource } from '../../ports';

/** The HTTP API's Lambda authorizer (simple responses): no route is open without a key. */
export function createAuthorizerHandler(deps: { keys: ApiKeySource }) {
  return middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult>().handler(async (event) => ({
    isAuthorized: isAuthorized(event.headers?.authorization ?? event.headers?.Authorization, await deps.keys.keys()),
  }));
}
