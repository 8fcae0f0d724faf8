import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsExecutions } from '../../adapters/sfn-executions';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { privacyDeps } from '../../wiring';
import { createProfileApiHandler } from './app';

export const handler = createProfileApiHandler(
  privacyDeps({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    profilesTable: requireEnv('PROFILES_TABLE'),
    ledgerTable: requireEnv('SEND_LEDGER_TABLE'),
    executions: new StepFunctionsExecutions(new SFNClient({})),
    log: logger('profile-api'),
  }),
);
