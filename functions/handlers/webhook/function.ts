import { FetchHttpCaller } from '../../adapters/fetch-http';
import { secretsOf } from '../../adapters/secrets';
import { defineFunction, sliceEntry } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createWebhookHandler } from './app';

export const webhook = defineFunction({
  name: 'webhook',
  description: 'Calls a custom action (an HTTPS request) for a webhook step',
  settings: ['PROFILES_TABLE'],
  slices: ['actions'],
  create: (p) =>
    createWebhookHandler({
      actions: { get: (name) => sliceEntry(p, 'actions', name) },
      profiles: profileTable(p).profiles,
      secrets: secretsOf(p),
      // Only the local runtime may call loopback addresses.
      http: new FetchHttpCaller({ allowLoopback: p.tuning?.allowLoopback === true }),
      clock: systemClock,
      log: p.log('webhook'),
    }),
});
