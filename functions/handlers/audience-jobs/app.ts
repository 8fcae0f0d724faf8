import middy from '@middy/core';
import * as z from 'zod';
import { modelId } from '../../../statemachines/schema/ids';
import { runJobSlice, type JobDeps } from '../../domain/audience-jobs';
import type { AudienceJob, Log } from '../../ports';
import { IMPORT_SOURCE, JOB_ID } from '../routes';

// The Task of the audience jobs state machine (statemachines/jobs.ts): one slice of an export or of the
// scheduled membership pass, or a profile import. Its output is its next input.


const jobInput = z.looseObject({
  kind: z.enum(['export', 'pass', 'import', 'learn']),
  modelId: modelId.optional(),
  source: z.string().regex(IMPORT_SOURCE).optional(),
  jobId: z.string().regex(JOB_ID, 'must be 1-80 letters, digits and -'),
  audienceId: z.string().optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

export function createAudienceJobsHandler(deps: JobDeps & { log: Log }) {
  return middy<unknown, AudienceJob & { done: boolean }>().handler(async (raw) => {
    const input = jobInput.parse(raw);
    const job = await runJobSlice({ kind: input.kind, jobId: input.jobId, ...(input.audienceId ? { audienceId: input.audienceId } : {}), ...(input.modelId ? { modelId: input.modelId } : {}), ...(input.source ? { source: input.source } : {}), ...(input.at ? { at: input.at } : {}) }, deps);
    deps.log.info('audience job slice', { kind: job.kind, audience: job.audienceId, pages: job.pages, count: job.count, done: job.done });
    return job;
  });
}
