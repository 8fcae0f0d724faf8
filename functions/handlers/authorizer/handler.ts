import { observe } from '../../observability';
import { SecretsManagerApiKeys } from '../../adapters/secrets';
import { requireEnv } from '../../config';
import { createAuthorizerHandler } from './app';

export const handler = observe('authorizer', createAuthorizerHandler({ keys: new SecretsManagerApiKeys(requireEnv('API_KEYS_SECRET_ARN')) }));
