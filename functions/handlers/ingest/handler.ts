import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { EventBridgeBus } from '../../adapters/eventbridge-bus';
import { StepFunctionsTaskTokens } from '../../adapters/sfn-task-tokens';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { ingestDeps } from '../../wiring';
import { createIngestHandler } from './app';

export const handler = createIngestHandler(
  ingestDeps({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    profilesTable: requireEnv('PROFILES_TABLE'),
    bus: new EventBridgeBus(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
    tokens: new StepFunctionsTaskTokens(new SFNClient({})),
    log: logger('ingest'),
  }),
);
