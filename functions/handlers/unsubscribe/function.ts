import { unsubscribeKeyOf } from '../../adapters/secrets';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createUnsubscribeHandler } from './app';

export const unsubscribe = defineFunction({
  name: 'unsubscribe',
  description: 'One-click unsubscribe (RFC 8058) and the preference page: consent per channel and list, by signed links',
  settings: ['PROFILES_TABLE', 'UNSUBSCRIBE_KEY_SECRET_ARN'],
  slices: ['rules'],
  create: (p) => createUnsubscribeHandler({ profiles: profileTable(p).profiles, clock: systemClock, key: unsubscribeKeyOf(p), lists: () => ({ lists: p.workspace('rules').lists, optIn: p.workspace('rules').optInLists }), log: p.log('unsubscribe') }),
});
