import { defineFunction } from '../../platform';
import { decisionDeps, decisionOf } from '../../wiring/decisions';
import { profileTable } from '../../wiring/profile-table';
import { createDecideHandler } from './app';

export const decide = defineFunction({
  name: 'decide',
  description: 'Picks offers for a decide step, once per visit',
  settings: ['PROFILES_TABLE'],
  slices: ['offers', 'decisions'],
  create: (p) => createDecideHandler({ ...decisionDeps(p), decisions: decisionOf(p), profiles: profileTable(p).profiles, log: p.log('decide') }),
});
