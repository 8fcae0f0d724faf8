import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadWorkspace, WorkspaceError } from '../workspace/load';
import { JourneysStack } from './stacks/journeys-stack';
import { JourneyGroupStack } from './stacks/journey-group-stack';
import { DEFAULT_JOURNEY_STACKS, journeyStackName, journeyStackOf } from './journey-stacks';
import { DeployLimits } from './limits';
import { DeployContextError, deployedChannels, deploymentFromAddress } from './deploy-context';

// CDK entry: compiles the workspace's journeys (a journey with mistakes stops the synth, listing them all)
// and builds the stack. Context: workspace (path), fromAddress (required by the CLI), channels (email,push,sms), stackName, reportOrigin (where the report page is
// hosted: the API lets its browser calls through), maxFutureSeconds, ingestMaxQueueDepth, ingestMaxQueueAgeSeconds
// (the ingest API's limits: functions/wiring/ingest.ts).

/** The ingest API's limits from context, each a positive number when given. */
function ingestLimits(app: App) {
  const names = { maxFutureSeconds: 'MAX_FUTURE_SECONDS', ingestMaxQueueDepth: 'INGEST_MAX_QUEUE_DEPTH', ingestMaxQueueAgeSeconds: 'INGEST_MAX_QUEUE_AGE_SECONDS' } as const;
  const limits: Partial<Record<(typeof names)[keyof typeof names], string>> = {};
  for (const [context, setting] of Object.entries(names)) {
    const value = app.node.tryGetContext(context);
    if (value === undefined) continue;
    if (!(Number(value) > 0)) throw new Error(`${context} must be a positive number, not ${String(value)}`);
    limits[setting] = String(Number(value));
  }
  return limits;
}

/**
 * The app. `forDeployment` (the CDK CLI's synth and deploy) requires a From address SES can verify; tests and
 * benchmarks build it with the default.
 */
export function buildApp(app: App, options: { forDeployment?: boolean } = {}): { app: App; stack: JourneysStack; journeyStacks: JourneyGroupStack[] } {
  const root = resolve(String(app.node.tryGetContext('workspace') ?? 'examples/store'));
  const fromAddress = options.forDeployment ? deploymentFromAddress(app.node.tryGetContext('fromAddress')) : String(app.node.tryGetContext('fromAddress') ?? 'no-reply@example.com');
  const workspace = loadWorkspace(root);
  const channels = deployedChannels(app.node.tryGetContext('channels'), workspace);
  const stack = new JourneysStack(app, String(app.node.tryGetContext('stackName') ?? 'OpenJourneys'), {
    workspace,
    fromAddress,
    channels,
    ...(app.node.tryGetContext('reportOrigin') ? { reportOrigin: String(app.node.tryGetContext('reportOrigin')) } : {}),
    ingestLimits: ingestLimits(app),
    description: 'open-journeys: journeys as code on Step Functions',
  });
  // The journeys, spread over journey stacks by the hash of their id (each with headroom under every limit).
  const count = Number(app.node.tryGetContext('journeyStacks') ?? DEFAULT_JOURNEY_STACKS);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new Error(`journeyStacks must be a whole number from 1 to 100, not ${String(app.node.tryGetContext('journeyStacks'))}`);
  const journeyStacks = Array.from(
    { length: count },
    (_, group) =>
      new JourneyGroupStack(app, journeyStackName(stack.stackName, group), {
        platform: stack,
        group,
        journeys: workspace.journeys.filter((j) => journeyStackOf(j.journey.id, count) === group),
        description: `open-journeys: journeys, share ${group + 1} of ${count}`,
      }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new DeployLimits());
  return { app, stack, journeyStacks };
}

const isEntry = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'app.ts');
if (isEntry) {
  try {
    buildApp(new App(), { forDeployment: true }).app.synth();
  } catch (error) {
    if (!(error instanceof WorkspaceError) && !(error instanceof DeployContextError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
