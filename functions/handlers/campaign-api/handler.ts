import { observe } from '../../observability';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Campaign } from '../../../statemachines';
import { DynamoDbCampaignRuns } from '../../adapters/dynamodb-campaign-runs';
import { DynamoDbReportCounters } from '../../adapters/dynamodb-reports';
import { StepFunctionsExecutions } from '../../adapters/sfn-executions';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { systemClock } from '../../ports';
import { createCampaignApiHandler } from './app';

declare const __WORKSPACE_CAMPAIGNS__: string | undefined;
const campaigns: Record<string, Campaign> = typeof __WORKSPACE_CAMPAIGNS__ === 'string' ? JSON.parse(__WORKSPACE_CAMPAIGNS__) : {};

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = observe('campaign-api', createCampaignApiHandler({
  campaigns: (id) => (Object.hasOwn(campaigns, id) ? campaigns[id] : undefined),
  runs: new DynamoDbCampaignRuns(doc, requireEnv('PROFILES_TABLE')),
  reports: new DynamoDbReportCounters(doc, requireEnv('PROFILES_TABLE')),
  executions: new StepFunctionsExecutions(new SFNClient({})),
  stateMachineArn: requireEnv('CAMPAIGN_STATE_MACHINE_ARN'),
  newRunId: randomUUID,
  clock: systemClock,
  log: logger('campaign-api'),
}));
