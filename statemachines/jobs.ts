import type { StateMachineDefinition } from './asl';
import { LAMBDA_TRANSIENT_RETRY, RERUNNABLE_RETRY } from './kinds/tasks';

// The audience jobs (a batch export, the scheduled membership pass) as one small loop: each Task runs a
// bounded slice of pages and returns the job with `done`; the Choice loops until it is. A slice that fails is
// retried from the job's saved cursor, so a job resumes where it stopped and never outgrows one Lambda.

export const AUDIENCE_JOBS_FUNCTION = '${AudienceJobsFunctionArn}';

export function audienceJobsDefinition(): StateMachineDefinition {
  return {
    Comment: 'Audience jobs: export an audience, or re-evaluate time-based audiences, a slice of pages at a time',
    StartAt: 'Slice',
    States: {
      Slice: {
        Type: 'Task',
        Comment: 'Runs the next pages of the job from its saved cursor',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: AUDIENCE_JOBS_FUNCTION, 'Payload.$': '$' },
        ResultSelector: { 'job.$': '$.Payload' },
        OutputPath: '$.job',
        // States.ALL must come last; a slice is safe to run again (see above).
        Retry: [LAMBDA_TRANSIENT_RETRY, RERUNNABLE_RETRY],
        Next: 'Done?',
      },
      'Done?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }],
        Default: 'Slice',
      },
      Finished: { Type: 'Succeed' },
    },
  } as StateMachineDefinition;
}
