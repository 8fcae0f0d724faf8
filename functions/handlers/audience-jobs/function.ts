import { DynamoDbAudienceJobs, DynamoDbProfileScanner } from '../../adapters/dynamodb-audience-jobs';
import { busOf } from '../../adapters/eventbridge-bus';
import { exportSinkOf } from '../../adapters/s3-export-sink';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { audienceSetOf } from '../../wiring/audiences';
import { audiencesAfterChange } from '../../domain/audiences';
import { profileTable } from '../../wiring/profile-table';
import { createAudienceJobsHandler } from './app';
import { acceptEvents } from '../../domain/ingest';
import { eventQueueOf } from '../../adapters/sqs-event-queue';
import { importLinesAsEvents } from '../ingest/profile-import';

export const audienceJobs = defineFunction({
  name: 'audience-jobs',
  description: 'A slice of a batch job: the daily pass of time-based audiences, an audience export, a profile import, or learning (models, send times)',
  settings: ['PROFILES_TABLE', 'EVENT_BUS_NAME', 'EXPORTS_BUCKET', 'EVENTS_QUEUE_URL'],
  slices: ['audiences', 'models'],
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
      // Imports go onto the ingest queue as the API puts them there (POST /profiles/import).
      // Learning: models trained and scored, the engagement pattern; a moved score re-reads the profile's audiences.
      learning: {
        models: () => p.workspace('models'),
        learned: t.learned,
        afterScore: (profileId, cause) => audiencesAfterChange(profileId, cause, { audiences: audienceSetOf(p), profiles: t.profiles, events: t.events, bus: busOf(p), clock: systemClock }),
      },
      imports: { toEvents: importLinesAsEvents, accept: (events) => acceptEvents(events, { events: t.events, queue: eventQueueOf(p), clock: systemClock }) },
      log: p.log('audience-jobs'),
    });
  },
});
