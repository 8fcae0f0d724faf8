import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointClient } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { requireEnv } from '../../config';
import type { MessageTemplate } from '../../domain/templates';
import type { FrequencyCap, Log } from '../../ports';
import { sendDeps } from '../../wiring';
import { unsubscribeKeyFromSecret } from '../../adapters/secrets';

// The workspace's business rules (rules.json), inlined at bundle time by esbuild (MessageChannels.sendingDefine).
declare const __WORKSPACE_FREQUENCY_CAPS__: string | undefined;
declare const __WORKSPACE_OPT_IN_LISTS__: string | undefined;
declare const __WORKSPACE_QUIET_HOURS__: string | undefined;

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
    ...(typeof __WORKSPACE_QUIET_HOURS__ === 'string' && __WORKSPACE_QUIET_HOURS__ !== 'null' ? { quietHours: JSON.parse(__WORKSPACE_QUIET_HOURS__) } : {}),
    optInLists: new Set(typeof __WORKSPACE_OPT_IN_LISTS__ === 'string' ? (JSON.parse(__WORKSPACE_OPT_IN_LISTS__) as string[]) : []),
    // Marketing emails link to the API's /unsubscribe, with tokens signed by the key in this secret.
    ...(process.env.UNSUBSCRIBE_URL && process.env.UNSUBSCRIBE_KEY_SECRET_ARN
      ? { unsubscribe: { url: process.env.UNSUBSCRIBE_URL, key: unsubscribeKeyFromSecret(process.env.UNSUBSCRIBE_KEY_SECRET_ARN) } }
      : {}),
    log,
  });
}
