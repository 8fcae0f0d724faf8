import { randomUUID } from 'node:crypto';
import { DynamoDbCampaignRuns } from '../../adapters/dynamodb-campaign-runs';
import { executionsOf } from '../../adapters/sfn-executions';
import { defineFunction, sliceEntry } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createCampaignApiHandler } from './app';

export const campaignApi = defineFunction({
  name: 'campaign-api',
  description: 'Campaign triggers, runs (pause, resume, cancel) and reports',
  settings: ['PROFILES_TABLE', 'CAMPAIGN_STATE_MACHINE_ARN'],
  slices: ['campaigns', 'fanOuts'],
  create: (p) => {
    const t = profileTable(p);
    return createCampaignApiHandler({
      campaigns: (id) => sliceEntry(p, 'campaigns', id),
      fanOuts: () => p.workspace('fanOuts'),
      runs: new DynamoDbCampaignRuns(t.doc, t.table),
      executions: executionsOf(p),
      stateMachineArn: p.setting('CAMPAIGN_STATE_MACHINE_ARN'),
      newRunId: randomUUID,
      reports: t.reports,
      clock: systemClock,
      log: p.log('campaign-api'),
    });
  },
});
