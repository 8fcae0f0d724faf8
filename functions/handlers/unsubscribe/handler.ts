import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbProfileStore } from '../../adapters/dynamodb-profiles';
import { unsubscribeKeyFromSecret } from '../../adapters/secrets';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { systemClock } from '../../ports';
import { createUnsubscribeHandler } from './app';

export const handler = observe('unsubscribe', createUnsubscribeHandler({
  profiles: new DynamoDbProfileStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), requireEnv('PROFILES_TABLE')),
  clock: systemClock,
  key: unsubscribeKeyFromSecret(requireEnv('UNSUBSCRIBE_KEY_SECRET_ARN')),
  log: logger('unsubscribe'),
}));
