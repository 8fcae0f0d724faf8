import { DEFAULT_RESOURCES } from '../statemachines/contract';
import { AUDIENCE_JOBS_FUNCTION } from '../statemachines/jobs';
import { CAMPAIGN_FUNCTION } from '../statemachines/campaigns';
import type { FunctionDef } from './platform';
import { ingest } from './handlers/ingest/function';
import { apply } from './handlers/apply/function';
import { authorizer } from './handlers/authorizer/function';
import { starter } from './handlers/starter/function';
import { send } from './handlers/send/function';
import { profile } from './handlers/profile/function';
import { wait } from './handlers/wait/function';
import { runs } from './handlers/runs/function';
import { jump } from './handlers/jump/function';
import { webhook } from './handlers/webhook/function';
import { profileApi } from './handlers/profile-api/function';
import { audienceJobs } from './handlers/audience-jobs/function';
import { campaign } from './handlers/campaign/function';
import { campaignApi } from './handlers/campaign-api/function';
import { feedback } from './handlers/feedback/function';
import { unsubscribe } from './handlers/unsubscribe/function';
import { decisionApi } from './handlers/decision-api/function';
import { decide } from './handlers/decide/function';
import { reportApi } from './handlers/report-api/function';
import { templateApi } from './handlers/template-api/function';

// Every Lambda function of the product, listed once. The local runtime builds each from the local platform,
// the CDK app bundles each (its slices of the workspace, its settings checked), bench/ measures each bundle;
// the HTTP routes (functions/api/routes.ts) and the tasks of compiled state machines name them.

export const FUNCTIONS = { ingest, apply, authorizer, starter, send, profile, wait, runs, jump, webhook, profileApi, audienceJobs, campaign, campaignApi, feedback, unsubscribe, decisionApi, decide, reportApi, templateApi } satisfies Record<string, FunctionDef>;
export type FunctionKey = keyof typeof FUNCTIONS;

/** The task placeholders of compiled state machines, and the function each invokes. */
export const TASK_FUNCTIONS: Record<string, FunctionKey> = {
  [DEFAULT_RESOURCES.send]: 'send',
  [DEFAULT_RESOURCES.profile]: 'profile',
  [DEFAULT_RESOURCES.wait]: 'wait',
  [DEFAULT_RESOURCES.jump]: 'jump',
  [DEFAULT_RESOURCES.webhook]: 'webhook',
  [DEFAULT_RESOURCES.decide]: 'decide',
  [CAMPAIGN_FUNCTION]: 'campaign',
  [AUDIENCE_JOBS_FUNCTION]: 'audienceJobs',
};
