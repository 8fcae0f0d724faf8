// How learning jobs (model-jobs.ts) are named in the jobs table, apart so the profile API, the loader and the
// local runtime name them without bundling the fit.

/** The job that learns the population's engagement pattern (send time): a name no model may take. */
export const ENGAGEMENT_JOB = 'engagement';

/** A learning job's key in the jobs table (its `audienceId`), and the model it learns, back. */
export const learnJobKey = (modelId: string): string => `learn:${modelId}`;
export const modelOfLearnJob = (key: string): string => key.replace(/^learn:/, '');
