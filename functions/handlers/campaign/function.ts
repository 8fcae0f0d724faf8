import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDbCampaignRuns } from '../../adapters/dynamodb-campaign-runs';
import { DynamoDbProfileScanner } from '../../adapters/dynamodb-audience-jobs';
import { DynamoDbRunStore } from '../../adapters/dynamodb-runs';
import { DynamoDbInterestIndex } from '../../adapters/dynamodb-interest-index';
import { busOf } from '../../adapters/eventbridge-bus';
import { exportSinkOf } from '../../adapters/s3-export-sink';
import { defineFunction, sliceEntry, type Platform } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { sendDeps } from '../../wiring/send';
import { send } from '../send/function';
import { createCampaignHandler } from './app';

/** The account's SES sending rate, asked once: a run never asks for more. Locally there is no such limit. */
function sendQuota(p: Platform): (() => Promise<number | undefined>) | undefined {
  if (p.local) return undefined;
  let quota: number | undefined;
  return async () => (quota ??= (await p.client(SESv2Client, { maxAttempts: 1 }).send(new GetAccountCommand({}))).SendQuota?.MaxSendRate);
}

export const campaign = defineFunction({
  name: 'campaign',
  description: 'Campaign runs: prepares the recipients, then sends a paced batch exactly once per profile',
  settings: ['PROFILES_TABLE', 'EVENT_BUS_NAME', 'EXPORTS_BUCKET', ...send.settings],
  optional: send.optional,
  slices: ['campaigns', 'audiences', ...send.slices],
  create: (p) => {
    const t = profileTable(p);
    const quota = sendQuota(p);
    return createCampaignHandler({
      campaigns: (id) => sliceEntry(p, 'campaigns', id),
      audiences: () => p.workspace('audiences'),
      runs: new DynamoDbCampaignRuns(t.doc, t.table),
      scanner: new DynamoDbProfileScanner(t.doc, t.table),
      profiles: t.profiles,
      events: t.events,
      sink: exportSinkOf(p),
      // Campaign sends are reported from their batches, not counted as journey steps.
      send: sendDeps(p, p.log('campaign'), { journeyReports: false }),
      bus: busOf(p),
      // A campaign's goal finds each recipient's arm here (run records of `campaign-<id>`).
      assignments: new DynamoDbRunStore(t.doc, t.table),
      interests: new DynamoDbInterestIndex(t.doc, t.table),
      learned: t.learned,
      clock: systemClock,
      pageSize: p.tuning?.campaignPageSize ?? 500,
      pagesPerSlice: 20,
      ...(quota ? { sendQuota: quota } : {}),
      ...(p.tuning?.campaignConcurrency ? { maxConcurrency: p.tuning.campaignConcurrency } : {}),
      log: p.log('campaign'),
    });
  },
});
