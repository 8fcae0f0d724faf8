import { apiKeysOf } from '../../adapters/secrets';
import { defineFunction } from '../../platform';
import { createAuthorizerHandler } from './app';

export const authorizer = defineFunction({
  name: 'authorizer',
  description: 'Checks the API key of every request',
  settings: ['API_KEYS_SECRET_ARN'],
  slices: [],
  create: (p) => createAuthorizerHandler({ keys: apiKeysOf(p) }),
});
