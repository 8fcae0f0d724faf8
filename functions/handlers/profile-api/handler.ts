import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsExecutions } from '../../adapters/sfn-executions';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { profileApiDeps } from '../../wiring';
import { createProfileApiHandler } from './app';

// The workspace's audiences, inlined at bundle time by esbuild (infra/constructs/journey-function.ts).
declare const __WORKSPACE_AUDIENCES__: string | undefined;
const AUDIENCE_IDS: readonly string[] = (typeof __WORKSPACE_AUDIENCES__ === 'string' ? (JSON.parse(__WORKSPACE_AUDIENCES__) as Array<{ id: string }>) : []).map((a) => a.id);

export const handler = observe('profile-api', createProfileApiHandler(
  profileApiDeps({
    audienceIds: () => AUDIENCE_IDS,
    jobsStateMachineArn: requireEnv('AUDIENCE_JOBS_STATE_MACHINE_ARN'),
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    profilesTable: requireEnv('PROFILES_TABLE'),
    ledgerTable: requireEnv('SEND_LEDGER_TABLE'),
    executions: new StepFunctionsExecutions(new SFNClient({})),
    log: logger('profile-api'),
  }),
));
