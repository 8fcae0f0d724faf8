import { Arn, ArnFormat, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalogue';
import { CfnApp } from 'aws-cdk-lib/aws-pinpoint';
import { dataTable } from './data-table';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

/** The channels that need a provider in AWS: email (SES), push (End User Messaging Push), sms (End User Messaging SMS). */
export const PROVIDER_CHANNELS = ['email', 'push', 'sms'] as const;
export type ProviderChannel = (typeof PROVIDER_CHANNELS)[number];

export interface MessageChannelsProps {
  tables: ProfileTables;
  /** The From address; its domain (or the address) must be a verified SES identity in the account. */
  fromAddress: string;
  /** The channels deployed (context `channels`, default all): without push, no Pinpoint application at all. */
  channels?: readonly ProviderChannel[];
}

/**
 * The message channels: email by SES v2 (a configuration set), push by End User Messaging Push (a Pinpoint
 * application holding the platform credentials), SMS by End User Messaging SMS; the send ledger that makes
 * each send exactly-once; and the send function.
 */
export class MessageChannels extends Construct {
  readonly send: JourneyFunction;
  readonly ledger: Table;
  readonly configurationSet: ConfigurationSet;
  /** The End User Messaging Push application, where push is deployed. */
  readonly pushApplication: CfnApp | undefined;
  private readonly channels: readonly ProviderChannel[];

  constructor(scope: Construct, id: string, props: MessageChannelsProps) {
    super(scope, id);
    this.channels = props.channels ?? PROVIDER_CHANNELS;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      sendingEnabled: true,
    });
    this.ledger = dataTable(this, 'SendLedger', { sortKey: false });
    // Operators add the APNs and FCM credentials to this application (console or CLI); they are secrets.
    this.pushApplication = this.channels.includes('push') ? new CfnApp(this, 'PushApplication', { name: `${Stack.of(this).stackName}-push` }) : undefined;
    if (this.pushApplication) {
      Validations.of(this.pushApplication).acknowledge({
        id: 'CloudFormation-Validate::W3696',
        reason: 'End User Messaging Push keeps the push credentials in this Pinpoint application and sends with its SendMessages API; none of the Pinpoint engagement features that ended (journeys, campaigns, segments) are used.',
      });
    }

    this.send = new JourneyFunction(this, 'Send', { fn: FUNCTIONS.send, timeout: Duration.seconds(20) });
    this.bindSender(this.send, props);
    new CfnOutput(scope, 'MailConfigurationSet', { value: this.configurationSet.configurationSetName });
    if (this.pushApplication) new CfnOutput(scope, 'PushApplicationId', { value: this.pushApplication.ref, description: 'Add the APNs / FCM credentials to this End User Messaging Push application' });
  }

  /** SES SendEmail from the one address (its domain's identity or its own), and through these resources. */
  private grantMail(fn: JourneyFunction, fromAddress: string, more: string[] = []): void {
    const domain = fromAddress.split('@')[1] ?? fromAddress;
    const identity = (name: string) => Arn.format({ service: 'ses', resource: 'identity', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, Stack.of(this));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: [identity(domain), identity(fromAddress), ...more] }));
  }

  /**
   * Proofs of templates: email from the one address, without the configuration set (no delivery events, so no
   * report hears of them), and no ledger.
   */
  bindProofMailer(fn: JourneyFunction, fromAddress: string): void {
    fn.addEnvironment('FROM_ADDRESS', fromAddress);
    this.grantMail(fn, fromAddress);
  }

  /**
   * What a function that sends needs: the ledger, the profiles (it records each send under its profile), SES
   * from the one address, push through this application, SMS. The journey send function and campaign batches.
   */
  bindSender(fn: JourneyFunction, props: Pick<MessageChannelsProps, 'tables' | 'fromAddress'>): void {
    fn.addEnvironment('SEND_LEDGER_TABLE', this.ledger.tableName);
    fn.addEnvironment('FROM_ADDRESS', props.fromAddress);
    fn.addEnvironment('CONFIGURATION_SET', this.configurationSet.configurationSetName);
    this.ledger.grantReadWriteData(fn);
    props.tables.bindProfiles(fn, 'readWrite');
    const stack = Stack.of(this);
    this.grantMail(fn, props.fromAddress, [Arn.format({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack)]);
    if (this.pushApplication) {
      fn.addEnvironment('PINPOINT_APPLICATION_ID', this.pushApplication.ref);
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['mobiletargeting:SendMessages'],
          resources: [Arn.format({ service: 'mobiletargeting', resource: 'apps', resourceName: `${this.pushApplication.ref}/messages`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack)],
        }),
      );
    }
    if (this.channels.includes('sms')) {
      // The origination identities (phone numbers, pools, sender ids) are set up by operators outside the stack.
      fn.addToRolePolicy(new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources: [Arn.format({ service: 'sms-voice', resource: '*' }, stack)] }));
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*]',
        reason: 'SendTextMessage names the origination identity (phone number, pool or sender id) operators set up outside the stack; the grant is limited to this account and region.',
      });
    }
  }
}
