import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EmailSendingEvent, EventDestination, type ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalogue';
import { DeadLetterQueue } from './dead-letter-queue';
import type { JourneyEventBus } from './event-bus';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface DeliveryFeedbackProps {
  configurationSet: ConfigurationSet;
  tables: ProfileTables;
  bus: JourneyEventBus;
}

/**
 * SES's delivery events (delivery, bounce, complaint, open, click) from the configuration set to the default
 * event bus (the only one SES writes to), then a rule to the feedback function: suppression on permanent bounces
 * and complaints, and `email.*` events back into the profiles.
 */
export class DeliveryFeedback extends Construct {
  readonly fn: JourneyFunction;
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: DeliveryFeedbackProps) {
    super(scope, id);
    props.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.DELIVERY, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.OPEN, EmailSendingEvent.CLICK],
    });
    this.fn = new JourneyFunction(this, 'Function', { fn: FUNCTIONS.feedback });
    props.tables.bindProfiles(this.fn, 'readWrite');
    props.bus.bindPublisher(this.fn);
    // Feedback resumes waitForEvent steps (email.opened...): SendTaskSuccess takes no narrower resource.
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
    this.dlq = new DeadLetterQueue(this, 'Dlq', 'the delivery feedback rule');
    // SES's own account reputation, alarmed before SES itself pauses sending (it reviews at 5% / 0.1%).
    for (const [metricName, threshold] of [['Reputation.BounceRate', 0.05], ['Reputation.ComplaintRate', 0.001]] as const) {
      new Alarm(this, metricName.replace('.', ''), {
        alarmDescription: `SES ${metricName} is over ${threshold * 100}%: the deliverability guard holds marketing sends; find the list or journey causing it`,
        metric: new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) }),
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    new Rule(this, 'SesEvents', {
      description: "SES delivery events of this stack's configuration set",
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Delivered', 'Email Bounced', 'Email Complaint Received', 'Email Opened', 'Email Clicked'],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSet.configurationSetName] } } },
      },
    }).addTarget(new LambdaFunction(this.fn, { deadLetterQueue: this.dlq, retryAttempts: 185, maxEventAge: Duration.hours(24) }));
  }
}
