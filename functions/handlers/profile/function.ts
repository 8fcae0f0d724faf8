import { busOf } from '../../adapters/eventbridge-bus';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { audienceSetOf } from '../../wiring/audiences';
import { profileTable } from '../../wiring/profile-table';
import { createProfileHandler } from './app';

export const profile = defineFunction({
  name: 'profile',
  description: 'Reloads a profile for a condition; applies updateProfile steps (and re-evaluates audiences); counts report visits',
  settings: ['PROFILES_TABLE', 'EVENT_BUS_NAME'],
  slices: ['audiences'],
  create: (p) => {
    const t = profileTable(p);
    return createProfileHandler({
      profiles: t.profiles,
      events: t.events,
      learned: t.learned,
      clock: systemClock,
      reports: t.reports,
      audiences: { audiences: audienceSetOf(p), profiles: t.profiles, events: t.events, bus: busOf(p), clock: systemClock },
    });
  },
});
