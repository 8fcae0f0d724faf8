import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { webhookDeps } from '../../wiring';
import { SecretsManagerSecrets } from '../../adapters/secrets';
import { createWebhookHandler } from './app';

// The workspace's actions, inlined at bundle time by esbuild (infra/constructs/custom-actions.ts).
declare const __WORKSPACE_ACTIONS__: string | undefined;

export const handler = observe('webhook', createWebhookHandler(
  webhookDeps({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    profilesTable: requireEnv('PROFILES_TABLE'),
    actions: typeof __WORKSPACE_ACTIONS__ === 'string' ? JSON.parse(__WORKSPACE_ACTIONS__) : {},
    secrets: new SecretsManagerSecrets(),
    allowLoopback: false,
    log: logger('journey-webhook'),
  }),
));
