import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDbProfileStore } from '../../adapters/dynamodb-profiles';
import { DynamoDbEventStore } from '../../adapters/dynamodb-events';
import { DynamoDbReportCounters } from '../../adapters/dynamodb-reports';
import { EventBridgeBus } from '../../adapters/eventbridge-bus';
import { requireEnv } from '../../config';
import { compileAudiences } from '../../domain/audiences';
import { systemClock } from '../../ports';
import { createProfileHandler } from './app';

// The workspace's audiences, inlined at bundle time by esbuild (infra/constructs/journey-function.ts).
declare const __WORKSPACE_AUDIENCES__: string | undefined;

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const profiles = new DynamoDbProfileStore(doc, requireEnv('PROFILES_TABLE'));
export const handler = observe('profile', createProfileHandler({
  profiles,
  clock: systemClock,
  reports: new DynamoDbReportCounters(doc, requireEnv('PROFILES_TABLE')),
  audiences: {
    audiences: compileAudiences(typeof __WORKSPACE_AUDIENCES__ === 'string' ? JSON.parse(__WORKSPACE_AUDIENCES__) : []),
    profiles,
    events: new DynamoDbEventStore(doc, requireEnv('PROFILES_TABLE')),
    bus: new EventBridgeBus(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
    clock: systemClock,
  },
}));
