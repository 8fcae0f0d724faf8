import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../../config';
import { waitDeps } from '../../wiring';
import { createWaitHandler } from './app';

export const handler = observe('wait', createWaitHandler(waitDeps({ doc: DynamoDBDocumentClient.from(new DynamoDBClient({})), profilesTable: requireEnv('PROFILES_TABLE') })));
