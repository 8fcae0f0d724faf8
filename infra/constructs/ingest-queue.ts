import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalogue';
import { DeadLetterQueue } from './dead-letter-queue';
import { JourneyFunction } from './journey-function';
import type { JourneyEventBus } from './event-bus';
import type { ProfileTables } from './profile-tables';

export interface IngestQueueProps {
  tables: ProfileTables;
  bus: JourneyEventBus;
}

const CONSUMER_TIMEOUT = Duration.seconds(60);

/**
 * The accepted events' queue: SQS FIFO with a message group per profile, so one profile's events are applied in
 * order, one at a time (no contention on a busy profile), and different profiles in parallel. High-throughput
 * FIFO (throughput per message group, deduplication per group) so the queue is not the limit. The apply
 * function consumes it in batches, reporting partial failures; a message that fails five times goes to the
 * dead-letter queue, which alarms.
 */
export class IngestQueue extends Construct {
  readonly queue: Queue;
  readonly dlq: DeadLetterQueue;
  readonly consumer: JourneyFunction;
  /** Alarms when the oldest waiting event is older than five minutes: the consumer is behind. */
  readonly lagAlarm: Alarm;

  constructor(scope: Construct, id: string, props: IngestQueueProps) {
    super(scope, id);
    this.dlq = new DeadLetterQueue(this, 'Dlq', 'the accepted events queue (events that could not be applied)', { fifo: true });
    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: false,
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      // AWS's advice for Lambda event sources: six times the function's timeout.
      visibilityTimeout: Duration.seconds(CONSUMER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: 5 },
    });
    this.lagAlarm = new Alarm(this, 'Lag', {
      alarmDescription: 'Accepted events wait more than 5 minutes to be applied: the apply function is failing or throttled',
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 300,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.consumer = new JourneyFunction(this, 'Apply', { fn: FUNCTIONS.apply, timeout: CONSUMER_TIMEOUT, memorySize: 512 });
    props.tables.bindProfiles(this.consumer, 'readWrite');
    props.bus.bindPublisher(this.consumer);
    // Resumes profiles waiting in waitForEvent steps. SendTaskSuccess takes no resource narrower than *.
    this.consumer.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
    this.consumer.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
  }

  /** The ingest API: sends, and reads the queue's depth (its backpressure). */
  bindProducer(fn: JourneyFunction): void {
    this.queue.grantSendMessages(fn);
    this.queue.grant(fn, 'sqs:GetQueueAttributes');
    fn.addEnvironment('EVENTS_QUEUE_URL', this.queue.queueUrl);
  }
}
