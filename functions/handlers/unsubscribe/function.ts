import { unsubscribeKeyOf } from '../../adapters/secrets';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createUnsubscribeHandler } from './app';

export const unsubscribe = defineFunction({
  name: 'unsubscribe',
  description: 'One-click unsubscribe (RFC 8058): records consent denied for the signed channel and list',
  settings: ['PROFILES_TABLE', 'UNSUBSCRIBE_KEY_SECRET_ARN'],
  slices: [],
  create: (p) => createUnsubscribeHandler({ profiles: profileTable(p).profiles, clock: systemClock, key: unsubscribeKeyOf(p), log: p.log('unsubscribe') }),
});
