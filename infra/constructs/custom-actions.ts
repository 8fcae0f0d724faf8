import { Arn, ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalogue';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface CustomActionsProps {
  tables: ProfileTables;
}

/** The webhook function that calls the workspace's named actions, with the secrets their headers name. */
export class CustomActions extends Construct {
  readonly webhook: JourneyFunction;

  constructor(scope: Construct, id: string, props: CustomActionsProps) {
    super(scope, id);
    // The longest action timeout is 30 s.
    this.webhook = new JourneyFunction(this, 'Webhook', { fn: FUNCTIONS.webhook, timeout: Duration.seconds(40) });
    props.tables.bindProfiles(this.webhook, 'read');
    this.webhook.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [Arn.format({ service: 'secretsmanager', resource: 'secret', resourceName: 'journeys/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(this))],
      }),
    );
    Validations.of(this.webhook).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:journeys/*]',
      reason: 'Action headers name their secrets at run time; the grant is limited to secrets under journeys/, the prefix operators put them under.',
    });
  }
}
