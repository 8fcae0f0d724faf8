import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createWaitHandler } from './app';

export const wait = defineFunction({
  name: 'wait',
  description: 'Files the task token of a waitForEvent step under the profile',
  settings: ['PROFILES_TABLE'],
  slices: [],
  create: (p) => {
    const t = profileTable(p);
    return createWaitHandler({ waits: t.waits, profiles: t.profiles, clock: systemClock });
  },
});
