import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbProfileStore } from '../../adapters/dynamodb-profiles';
import { requireEnv } from '../../config';
import { systemClock } from '../../ports';
import { createProfileHandler } from './app';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = createProfileHandler({ profiles: new DynamoDbProfileStore(doc, requireEnv('PROFILES_TABLE')), clock: systemClock });
