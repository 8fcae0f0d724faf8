import { defineFunction } from '../../platform';
import { sendDeps } from '../../wiring/send';
import { createSendHandler } from './app';

export const send = defineFunction({
  name: 'send',
  description: 'Renders and sends a message exactly once (SES, End User Messaging push and SMS)',
  settings: ['PROFILES_TABLE', 'SEND_LEDGER_TABLE', 'FROM_ADDRESS'],
  // PINPOINT_APPLICATION_ID: set where push is deployed (-c channels); synth refuses push templates otherwise.
  optional: ['PINPOINT_APPLICATION_ID', 'CONFIGURATION_SET', 'SMS_ORIGINATION_IDENTITY', 'UNSUBSCRIBE_URL', 'UNSUBSCRIBE_KEY_SECRET_ARN'],
  slices: ['templates', 'rules'],
  create: (p) => createSendHandler(sendDeps(p, p.log('send'))),
  metrics: (r) => ({ [`message.${r.status}`]: 1 }),
});
