import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { EventBridgeBus } from '../../adapters/eventbridge-bus';
import { S3ExportSink } from '../../adapters/s3-export-sink';
import { requireEnv } from '../../config';
import { compileAudiences } from '../../domain/audiences';
import { logger } from '../../logger';
import { audienceJobDeps } from '../../wiring';
import { createAudienceJobsHandler } from './app';

// The workspace's audiences, inlined at bundle time by esbuild (infra/constructs/journey-function.ts).
declare const __WORKSPACE_AUDIENCES__: string | undefined;

export const handler = observe('audience-jobs', createAudienceJobsHandler(
  audienceJobDeps({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    profilesTable: requireEnv('PROFILES_TABLE'),
    audiences: compileAudiences(typeof __WORKSPACE_AUDIENCES__ === 'string' ? JSON.parse(__WORKSPACE_AUDIENCES__) : []),
    sink: new S3ExportSink(new S3Client({}), requireEnv('EXPORTS_BUCKET')),
    bus: new EventBridgeBus(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
    log: logger('audience-jobs'),
  }),
));
