import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbProfileStore } from '../../adapters/dynamodb-profiles';
import { requireEnv } from '../../config';
import { workspaceDecision, workspaceOffers } from '../workspace-offers';
import { logger } from '../../logger';
import { decisionDeps } from '../../wiring';
import { createDecideHandler } from './app';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = requireEnv('PROFILES_TABLE');
export const handler = observe('decide', createDecideHandler({
  ...decisionDeps({ doc, profilesTable: table, offers: () => workspaceOffers }),
  decisions: workspaceDecision,
  profiles: new DynamoDbProfileStore(doc, table),
  log: logger('journey-decide'),
}));
