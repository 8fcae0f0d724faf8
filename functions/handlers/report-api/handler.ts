import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbReportCounters } from '../../adapters/dynamodb-reports';
import { requireEnv } from '../../config';
import type { ReportShape } from '../../domain/reports';
import { logger } from '../../logger';
import { systemClock } from '../../ports';
import { createReportApiHandler } from './app';

// The workspace's journeys as the report sees them, inlined at bundle time by esbuild (infra/constructs/reports.ts).
declare const __WORKSPACE_REPORT_SHAPES__: string | undefined;
const shapes: Record<string, ReportShape> = typeof __WORKSPACE_REPORT_SHAPES__ === 'string' ? JSON.parse(__WORKSPACE_REPORT_SHAPES__) : {};

export const handler = observe('report-api', createReportApiHandler({
  journeys: (id) => (Object.hasOwn(shapes, id) ? shapes[id] : undefined),
  counters: new DynamoDbReportCounters(DynamoDBDocumentClient.from(new DynamoDBClient({})), requireEnv('PROFILES_TABLE')),
  clock: systemClock,
  log: logger('report-api'),
}));
