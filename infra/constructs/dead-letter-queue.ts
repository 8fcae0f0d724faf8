import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue for an async edge: encrypted, TLS only, kept for the SQS maximum of 14 days, and an alarm
 * as soon as anything lands in it (nothing accepted may be lost silently).
 */
export class DeadLetterQueue extends Queue {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, edge: string, options: { fifo?: boolean } = {}) {
    // The dead-letter queue of a FIFO queue is FIFO too.
    super(scope, id, { enforceSSL: true, encryption: QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14), ...(options.fifo ? { fifo: true } : {}) });
    this.alarm = new Alarm(this, 'NotEmpty', {
      alarmDescription: `Messages are waiting in the dead-letter queue of ${edge}: look at them, fix the cause, redrive`,
      metric: this.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${edge}; a queue behind it would only move the problem.`,
    });
  }
}
