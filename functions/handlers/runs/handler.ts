import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbRunStore } from '../../adapters/dynamodb-runs';
import { DynamoDbProfileStore } from '../../adapters/dynamodb-profiles';
import { StepFunctionsExecutions } from '../../adapters/sfn-executions';
import { requireEnv } from '../../config';
import { DynamoDbReportCounters } from '../../adapters/dynamodb-reports';
import { logger } from '../../logger';
import { systemClock } from '../../ports';
import { createRunsHandler } from './app';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = observe('runs', createRunsHandler({
  runs: new DynamoDbRunStore(doc, requireEnv('PROFILES_TABLE')),
  profiles: new DynamoDbProfileStore(doc, requireEnv('PROFILES_TABLE')),
  executions: new StepFunctionsExecutions(new SFNClient({})),
  clock: systemClock,
  reports: new DynamoDbReportCounters(doc, requireEnv('PROFILES_TABLE')),
  log: logger('journey-runs'),
}));
