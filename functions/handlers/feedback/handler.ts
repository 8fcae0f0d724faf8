import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { EventBridgeBus } from '../../adapters/eventbridge-bus';
import { StepFunctionsTaskTokens } from '../../adapters/sfn-task-tokens';
import { DynamoDbSuppressions } from '../../adapters/dynamodb-suppressions';
import { requireEnv } from '../../config';
import { compileAudiences } from '../../domain/audiences';
import { logger } from '../../logger';
import { systemClock } from '../../ports';
import { ingestDeps } from '../../wiring';
import { createFeedbackHandler } from './app';
import { DynamoDbDeliverability } from '../../adapters/dynamodb-deliverability';
import { DynamoDbReportCounters } from '../../adapters/dynamodb-reports';
import { DEFAULT_DELIVERABILITY } from '../../domain/deliverability';

declare const __WORKSPACE_AUDIENCES__: string | undefined;
declare const __WORKSPACE_DELIVERABILITY__: string | undefined;

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const deps = ingestDeps({
  doc,
  profilesTable: requireEnv('PROFILES_TABLE'),
  bus: new EventBridgeBus(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
  tokens: new StepFunctionsTaskTokens(new SFNClient({})),
  audiences: compileAudiences(typeof __WORKSPACE_AUDIENCES__ === 'string' ? JSON.parse(__WORKSPACE_AUDIENCES__) : []),
  log: logger('feedback'),
});
export const handler = observe('feedback', createFeedbackHandler({
  ...deps,
  suppressions: new DynamoDbSuppressions(doc, requireEnv('PROFILES_TABLE'), systemClock),
  reports: new DynamoDbReportCounters(doc, requireEnv('PROFILES_TABLE')),
  deliverability: {
    store: new DynamoDbDeliverability(doc, requireEnv('PROFILES_TABLE'), 0),
    rules: typeof __WORKSPACE_DELIVERABILITY__ === 'string' ? JSON.parse(__WORKSPACE_DELIVERABILITY__) : DEFAULT_DELIVERABILITY,
    log: deps.log,
  },
}));
