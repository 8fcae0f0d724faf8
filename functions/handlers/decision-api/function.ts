import { defineFunction } from '../../platform';
import { decisionDeps, decisionOf } from '../../wiring/decisions';
import { profileTable } from '../../wiring/profile-table';
import { createDecisionApiHandler } from './app';

export const decisionApi = defineFunction({
  name: 'decision-api',
  description: 'POST /decisions: the offers of a decision for a person',
  settings: ['PROFILES_TABLE'],
  slices: ['offers', 'decisions'],
  create: (p) => {
    const t = profileTable(p);
    return createDecisionApiHandler({ ...decisionDeps(p), decisions: decisionOf(p), profiles: t.profiles, identities: t.identities, log: p.log('decision-api') });
  },
});
