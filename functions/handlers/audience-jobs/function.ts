import { DynamoDbAudienceJobs, DynamoDbProfileScanner } from '../../adapters/dynamodb-audience-jobs';
import { busOf } from '../../adapters/eventbridge-bus';
import { exportSinkOf } from '../../adapters/s3-export-sink';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { audienceSetOf } from '../../wiring/audiences';
import { profileTable } from '../../wiring/profile-table';
import { createAudienceJobsHandler } from './app';

export const audienceJobs = defineFunction({
  name: 'audience-jobs',
  description: 'A slice of an audience job: the daily pass of time-based audiences, or an export',
  settings: ['PROFILES_TABLE', 'EVENT_BUS_NAME', 'EXPORTS_BUCKET'],
  slices: ['audiences'],
  create: (p) => {
    const t = profileTable(p);
    return createAudienceJobsHandler({
      audiences: audienceSetOf(p),
      scanner: new DynamoDbProfileScanner(t.doc, t.table),
      jobs: new DynamoDbAudienceJobs(t.doc, t.table),
      sink: exportSinkOf(p),
      profiles: t.profiles,
      events: t.events,
      bus: busOf(p),
      clock: systemClock,
      // 500 items a page (a Scan page stays under 1 MB for profiles of up to 2 KB); 20 pages a slice.
      pageSize: p.tuning?.exportPageSize ?? 500,
      pagesPerSlice: 20,
      log: p.log('audience-jobs'),
    });
  },
});
