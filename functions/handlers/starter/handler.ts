import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbRunStore } from '../../adapters/dynamodb-runs';
import { StepFunctionsExecutions } from '../../adapters/sfn-executions';
import { requireEnv } from '../../config';
import { DynamoDbReportCounters } from '../../adapters/dynamodb-reports';
import { logger } from '../../logger';
import { systemClock } from '../../ports';
import { createStarterHandler } from './app';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = observe('starter', createStarterHandler({
  executions: new StepFunctionsExecutions(new SFNClient({})),
  runs: new DynamoDbRunStore(doc, requireEnv('PROFILES_TABLE')),
  clock: systemClock,
  reports: new DynamoDbReportCounters(doc, requireEnv('PROFILES_TABLE')),
  log: logger('journey-starter'),
}));
