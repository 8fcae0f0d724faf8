import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbRunStore } from '../../adapters/dynamodb-runs';
import { StepFunctionsExecutions } from '../../adapters/sfn-executions';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { systemClock } from '../../ports';
import { createRunsHandler } from './app';

export const handler = createRunsHandler({
  runs: new DynamoDbRunStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), requireEnv('PROFILES_TABLE')),
  executions: new StepFunctionsExecutions(new SFNClient({})),
  clock: systemClock,
  log: logger('journey-runs'),
});
