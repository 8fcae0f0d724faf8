import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointClient } from '@aws-sdk/client-pinpoint';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { profilesTable, type Platform } from '../platform';
import { DynamoDbInbox } from './dynamodb-inbox';
import { documentClient } from './dynamodb-client';
import type { Deliverers } from '../ports';
import { SesMailer } from './ses-mailer';
import { PinpointPusher } from './pinpoint-pusher';
import { SmsTexter } from './sms-texter';

// One deliverer per channel (statemachines/channels.ts): a channel without one here is a type error.
// Provider clients make one attempt per call: an SDK retry after a timeout could send twice; the state
// machine retries, after the send ledger says it is safe (see SesMailer).
const ONE_ATTEMPT = { maxAttempts: 1 };

export function deliverersOf(p: Platform): Deliverers {
  return p.once('deliverers', () => ({
    email: new SesMailer(p.client(SESv2Client, ONE_ATTEMPT), p.setting('FROM_ADDRESS'), p.optional('CONFIGURATION_SET')),
    push: new PinpointPusher(p.client(PinpointClient, ONE_ATTEMPT), p.optional('PINPOINT_APPLICATION_ID')),
    sms: new SmsTexter(p.client(PinpointSMSVoiceV2Client, ONE_ATTEMPT), { originationIdentity: p.optional('SMS_ORIGINATION_IDENTITY') }),
    inApp: new DynamoDbInbox(documentClient(p), profilesTable(p)),
  }));
}
