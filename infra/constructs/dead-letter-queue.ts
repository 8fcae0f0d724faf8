import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** A dead-letter queue for an async edge: encrypted, TLS only, kept for the SQS maximum of 14 days. */
export class DeadLetterQueue extends Queue {
  constructor(scope: Construct, id: string, edge: string) {
    super(scope, id, { enforceSSL: true, encryption: QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14) });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${edge}; a queue behind it would only move the problem.`,
    });
  }
}
