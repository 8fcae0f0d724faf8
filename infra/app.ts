import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadWorkspace, WorkspaceError } from '../workspace/load';
import { JourneysStack } from './stacks/journeys-stack';

// CDK entry: compiles the workspace's journeys (a journey with mistakes stops the synth, listing them all)
// and builds the stack. Context: workspace (path), fromAddress, stackName, reportOrigin (where the report page is
// hosted: the API lets its browser calls through).

export function buildApp(app: App): { app: App; stack: JourneysStack } {
  const root = resolve(String(app.node.tryGetContext('workspace') ?? 'examples/store'));
  const workspace = loadWorkspace(root);
  const stack = new JourneysStack(app, String(app.node.tryGetContext('stackName') ?? 'OpenJourneys'), {
    workspace,
    fromAddress: String(app.node.tryGetContext('fromAddress') ?? 'no-reply@example.com'),
    ...(app.node.tryGetContext('reportOrigin') ? { reportOrigin: String(app.node.tryGetContext('reportOrigin')) } : {}),
    description: 'open-journeys: journeys as code on Step Functions',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

const isEntry = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'app.ts');
if (isEntry) {
  try {
    buildApp(new App()).app.synth();
  } catch (error) {
    if (!(error instanceof WorkspaceError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
