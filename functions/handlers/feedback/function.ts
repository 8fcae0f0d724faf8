import { DynamoDbDeliverability } from '../../adapters/dynamodb-deliverability';
import { defineFunction } from '../../platform';
import { ingestDeps } from '../../wiring/ingest';
import { profileTable } from '../../wiring/profile-table';
import { createFeedbackHandler } from './app';

export const feedback = defineFunction({
  name: 'feedback',
  description: 'SES delivery feedback: suppresses bounced and complaining addresses, records email.* events, guards deliverability',
  settings: ['PROFILES_TABLE', 'EVENT_BUS_NAME', 'RESUME_SCHEDULE_GROUP'],
  slices: ['audiences', 'decisions', 'rules', 'fanOuts'],
  create: (p) => {
    const t = profileTable(p);
    const deps = ingestDeps(p, p.log('feedback'));
    return createFeedbackHandler({
      ...deps,
      suppressions: t.suppressions,
      reports: t.reports,
      // The guard's state is read fresh here: this function changes it.
      deliverability: { store: new DynamoDbDeliverability(t.doc, t.table, 0), rules: p.workspace('rules').deliverability, log: deps.log },
    });
  },
});
