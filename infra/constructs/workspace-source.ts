import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { Workspace } from '../../workspace/load';

const ID = 'Workspace';

/**
 * The loaded workspace, once per stack: each JourneyFunction finds it here and bundles the slices its
 * function declares (workspace/slices.ts), so no construct passes workspace data to a function by hand.
 */
export class WorkspaceSource extends Construct {
  constructor(
    scope: Stack,
    readonly workspace: Workspace,
  ) {
    super(scope, ID);
  }

  static of(scope: Construct): Workspace {
    const found = Stack.of(scope).node.tryFindChild(ID);
    if (!(found instanceof WorkspaceSource)) throw new Error(`no WorkspaceSource in stack ${Stack.of(scope).stackName}`);
    return found.workspace;
  }
}
