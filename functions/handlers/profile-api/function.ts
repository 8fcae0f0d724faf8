import { resumeSchedulesOf } from '../../adapters/scheduler-resumes';
import { randomUUID } from 'node:crypto';
import { DynamoDbAudienceJobs } from '../../adapters/dynamodb-audience-jobs';
import { DynamoDbProfileData } from '../../adapters/dynamodb-profile-data';
import { DynamoDbInbox } from '../../adapters/dynamodb-inbox';
import { DynamoDbSendLedger } from '../../adapters/dynamodb-send-ledger';
import { executionsOf } from '../../adapters/sfn-executions';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createProfileApiHandler } from './app';

export const profileApi = defineFunction({
  name: 'profile-api',
  description: 'Profile reads, the data export, erasure, audience exports and imports, learning jobs',
  settings: ['PROFILES_TABLE', 'SEND_LEDGER_TABLE', 'AUDIENCE_JOBS_STATE_MACHINE_ARN', 'RESUME_SCHEDULE_GROUP'],
  slices: ['audiences', 'models'],
  create: (p) => {
    const t = profileTable(p);
    const ledgerTable = p.setting('SEND_LEDGER_TABLE');
    return createProfileApiHandler({
      audienceIds: () => p.workspace('audiences').map((a) => a.id),
      modelIds: () => p.workspace('models').map((m) => m.id),
      jobs: new DynamoDbAudienceJobs(t.doc, t.table),
      jobsStateMachineArn: p.setting('AUDIENCE_JOBS_STATE_MACHINE_ARN'),
      newJobId: randomUUID,
      profiles: t.profiles,
      identities: t.identities,
      data: new DynamoDbProfileData(t.doc, t.table, ledgerTable),
      ledger: new DynamoDbSendLedger(t.doc, ledgerTable, systemClock),
      suppressions: t.suppressions,
      executions: executionsOf(p),
      schedules: resumeSchedulesOf(p),
      inbox: new DynamoDbInbox(t.doc, t.table),
      clock: systemClock,
      log: p.log('profile-api'),
    });
  },
});
