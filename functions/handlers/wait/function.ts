import { DynamoDbRunStore } from '../../adapters/dynamodb-runs';
import { resumeSchedulesOf } from '../../adapters/scheduler-resumes';
import { executionsOf } from '../../adapters/sfn-executions';
import { taskTokensOf } from '../../adapters/sfn-task-tokens';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createWaitHandler } from './app';

export const wait = defineFunction({
  name: 'wait',
  description: 'Files the task token of a waitForEvent step; parks and closes Express runs',
  settings: ['PROFILES_TABLE', 'RESUME_SCHEDULE_GROUP', 'RESUME_TARGET_ARN', 'RESUME_ROLE_ARN', 'RESUME_DLQ_ARN'],
  slices: [],
  create: (p) => {
    const t = profileTable(p);
    return createWaitHandler({
      waits: t.waits,
      profiles: t.profiles,
      runs: new DynamoDbRunStore(t.doc, t.table),
      schedules: resumeSchedulesOf(p),
      executions: executionsOf(p),
      reports: t.reports,
      // A wait since entry looks back in the history and may answer its own token or resume its own park.
      events: t.events,
      tokens: taskTokensOf(p),
      versions: t.versions,
      clock: systemClock,
    });
  },
});
