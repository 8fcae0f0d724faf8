import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../../adapters/ses-mailer';
import { StaticTemplateStore } from '../../adapters/static-templates';
import { unsubscribeKeyOf } from '../../adapters/secrets';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createTemplateApiHandler } from './app';

export const templateApi = defineFunction({
  name: 'template-api',
  description: 'Template previews for a profile, and proofs sent to the proof lists of rules.json',
  settings: ['PROFILES_TABLE', 'FROM_ADDRESS'],
  optional: ['UNSUBSCRIBE_KEY_SECRET_ARN', 'UNSUBSCRIBE_URL'],
  slices: ['templates', 'rules'],
  create: (p) => {
    const unsubscribeUrl = p.optional('UNSUBSCRIBE_URL');
    return createTemplateApiHandler({
      templates: new StaticTemplateStore(() => p.workspace('templates')),
      profiles: profileTable(p).profiles,
      // No configuration set: a proof publishes no delivery events, so no report or profile hears of it.
      mailer: new SesMailer(p.client(SESv2Client, { maxAttempts: 1 }), p.setting('FROM_ADDRESS'), undefined),
      proofLists: () => p.workspace('rules').proofLists,
      ...(unsubscribeUrl ? { unsubscribe: { url: unsubscribeUrl, key: unsubscribeKeyOf(p) } } : {}),
      clock: systemClock,
      newId: randomUUID,
      log: p.log('template-api'),
    });
  },
});
