import { observe } from '../../observability';
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
import { compileAudiences } from '../../domain/audiences';
import { workspaceDecisions } from '../workspace-offers';

// The workspace's audiences, inlined at bundle time by esbuild (infra/constructs/journey-function.ts).
declare const __WORKSPACE_AUDIENCES__: string | undefined;

export const handler = observe('ingest', createIngestHandler(
  ingestDeps({
    audiences: compileAudiences(typeof __WORKSPACE_AUDIENCES__ === 'string' ? JSON.parse(__WORKSPACE_AUDIENCES__) : []),
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    profilesTable: requireEnv('PROFILES_TABLE'),
    bus: new EventBridgeBus(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
    tokens: new StepFunctionsTaskTokens(new SFNClient({})),
    decisions: () => workspaceDecisions,
    log: logger('ingest'),
  }),
  ),
  (r) => {
    const body = typeof r === 'object' && typeof r.body === 'string' && r.statusCode === 202 ? (JSON.parse(r.body) as { accepted: unknown[]; duplicates: unknown[] }) : undefined;
    return { 'events.accepted': body?.accepted.length ?? 0, 'events.duplicates': body?.duplicates.length ?? 0 };
  },
);
