import { Arn, ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { EmailTemplate } from '../../functions/domain/templates';
import { dataTable } from './data-table';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface EmailChannelProps {
  tables: ProfileTables;
  templates: Record<string, EmailTemplate>;
  /** The From address; its domain (or the address) must be a verified SES identity in the account. */
  fromAddress: string;
}

/** Email by SES v2: a configuration set, the send ledger that makes each send exactly-once, the send function. */
export class EmailChannel extends Construct {
  readonly send: JourneyFunction;
  readonly ledger: Table;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: EmailChannelProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      sendingEnabled: true,
    });
    this.ledger = dataTable(this, 'SendLedger', { sortKey: false });

    this.send = new JourneyFunction(this, 'Send', {
      handler: 'send',
      description: 'Renders and sends the message of a journey step, once',
      timeout: Duration.seconds(20),
      environment: { SEND_LEDGER_TABLE: this.ledger.tableName, FROM_ADDRESS: props.fromAddress, CONFIGURATION_SET: this.configurationSet.configurationSetName },
      define: { __WORKSPACE_TEMPLATES__: JSON.stringify(JSON.stringify(props.templates)) },
    });
    this.ledger.grantReadWriteData(this.send);
    props.tables.bindProfiles(this.send, 'read');

    const stack = Stack.of(this);
    const domain = props.fromAddress.split('@')[1] ?? props.fromAddress;
    const identity = (name: string) => Arn.format({ service: 'ses', resource: 'identity', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
    this.send.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          identity(domain),
          identity(props.fromAddress),
          Arn.format({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack),
        ],
      }),
    );
    new CfnOutput(scope, 'MailConfigurationSet', { value: this.configurationSet.configurationSetName });
  }
}
