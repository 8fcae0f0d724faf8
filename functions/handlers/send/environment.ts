import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointClient } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { requireEnv } from '../../config';
import type { MessageTemplate } from '../../domain/templates';
import type { FrequencyCap, Log } from '../../ports';
import { sendDeps } from '../../wiring';

// The workspace's business rules (rules.json), inlined at bundle time by esbuild (MessageChannels.sendingDefine).
declare const __WORKSPACE_FREQUENCY_CAPS__: string | undefined;

/**
 * What a sending Lambda needs, from its environment (set by MessageChannels.bindSender): the journey send
 * function and the campaign batches.
 */
export function sendDepsFromEnvironment(templates: Record<string, MessageTemplate>, log: Log, clients: { doc?: DynamoDBDocumentClient; ses?: SESv2Client } = {}) {
  return sendDeps({
    doc: clients.doc ?? DynamoDBDocumentClient.from(new DynamoDBClient({})),
    // One attempt per call: the SDK retrying after a timeout could send twice; the state machine retries.
    ses: clients.ses ?? new SESv2Client({ maxAttempts: 1 }),
    pinpoint: new PinpointClient({ maxAttempts: 1 }),
    sms: new PinpointSMSVoiceV2Client({ maxAttempts: 1 }),
    pinpointApplicationId: requireEnv('PINPOINT_APPLICATION_ID'),
    smsOriginationIdentity: process.env.SMS_ORIGINATION_IDENTITY,
    profilesTable: requireEnv('PROFILES_TABLE'),
    ledgerTable: requireEnv('SEND_LEDGER_TABLE'),
    from: requireEnv('FROM_ADDRESS'),
    configurationSet: process.env.CONFIGURATION_SET,
    templates,
    frequencyCaps: typeof __WORKSPACE_FREQUENCY_CAPS__ === 'string' ? (JSON.parse(__WORKSPACE_FREQUENCY_CAPS__) as FrequencyCap[]) : [],
    log,
  });
}
