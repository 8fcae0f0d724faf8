import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointClient } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { sendDeps } from '../../wiring';
import { createSendHandler } from './app';

// The workspace's templates, inlined at bundle time by esbuild (infra/constructs/journey-function.ts).
declare const __WORKSPACE_TEMPLATES__: string | undefined;

export const handler = createSendHandler(
  sendDeps({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    // One attempt per call: the SDK retrying after a timeout could send twice; the state machine retries.
    ses: new SESv2Client({ maxAttempts: 1 }),
    pinpoint: new PinpointClient({ maxAttempts: 1 }),
    sms: new PinpointSMSVoiceV2Client({ maxAttempts: 1 }),
    pinpointApplicationId: requireEnv('PINPOINT_APPLICATION_ID'),
    smsOriginationIdentity: process.env.SMS_ORIGINATION_IDENTITY,
    profilesTable: requireEnv('PROFILES_TABLE'),
    ledgerTable: requireEnv('SEND_LEDGER_TABLE'),
    from: requireEnv('FROM_ADDRESS'),
    configurationSet: process.env.CONFIGURATION_SET,
    templates: typeof __WORKSPACE_TEMPLATES__ === 'string' ? JSON.parse(__WORKSPACE_TEMPLATES__) : {},
    log: logger('journey-send'),
  }),
);
