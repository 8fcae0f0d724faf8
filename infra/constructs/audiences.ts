import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalogue';
import { audienceJobsDefinition, renderDefinition, schedulerExpression } from '../../statemachines';
import { DeadLetterQueue } from './dead-letter-queue';
import type { JourneyEventBus } from './event-bus';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface AudiencesProps {
  tables: ProfileTables;
  bus: JourneyEventBus;
  /** The learning jobs to schedule (workspace/learning.ts): each model on its cron, the engagement pattern daily. */
  learning?: ReadonlyArray<{ modelId: string; cron: string }>;
}

/**
 * Audience jobs: the jobs state machine (statemachines/jobs.ts) looping over a Lambda that exports an
 * audience to S3 as JSON lines, or re-evaluates time-based audiences; and the daily schedule of that pass.
 * Streaming membership happens in the ingest function.
 */
export class Audiences extends Construct {
  readonly exports: Bucket;
  readonly jobs: StateMachine;
  readonly fn: JourneyFunction;

  constructor(scope: Construct, id: string, props: AudiencesProps) {
    super(scope, id);
    const accessLogs = new Bucket(this, 'ExportAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket holds the server access logs of the exports bucket; logging it too would loop.' });
    // Exports hold personal data: private, encrypted, TLS only, gone after 30 days.
    this.exports = new Bucket(this, 'Exports', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.fn = new JourneyFunction(this, 'Jobs', { fn: FUNCTIONS.audienceJobs, timeout: Duration.minutes(5), memorySize: 1024 });
    props.tables.bindProfiles(this.fn, 'readWrite');
    props.bus.bindPublisher(this.fn);
    // PutObject only (grantPut would add Abort*, tagging, retention): the function writes parts and manifests.
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.exports.arnForObjects('exports/*'), this.exports.arnForObjects('imports/*'), this.exports.arnForObjects('models/*')] }));
    new CfnOutput(Stack.of(this), 'ExportsBucket', { value: this.exports.bucketName, description: 'Audience exports (exports/) and profile import files (imports/: POST /imports)' });
    // Profile imports read their file from imports/ (and write the refused lines' report beside it).
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.exports.arnForObjects('imports/*'), this.exports.arnForObjects('models/*')] }));
    this.fn.addEnvironment('EXPORTS_BUCKET', this.exports.bucketName);
    Validations.of(this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.stackLogicalId(this.exports)}.Arn>/exports/*]`,
      reason: 'Export objects are named by audience and job at run time; the grant is PutObject in the exports bucket only.',
    });
    Validations.of(this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.stackLogicalId(this.exports)}.Arn>/imports/*]`,
      reason: 'Import files are named by the operator and reports by job at run time; the grants are GetObject and PutObject under imports/ of the exports bucket only.',
    });
    Validations.of(this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.stackLogicalId(this.exports)}.Arn>/models/*]`,
      reason: "A learning job's training rows are parts named by model and job at run time (features and labels, no identifiers); the grants are GetObject and PutObject under models/ only.",
    });

    const logs = new LogGroup(this, 'JobLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.jobs = new StateMachine(this, 'JobsStateMachine', {
      comment: 'Audience jobs: export, membership pass',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(renderDefinition(audienceJobsDefinition())),
      definitionSubstitutions: { AudienceJobsFunctionArn: this.fn.functionArn },
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    this.jobs.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));

    // Daily, the pass that moves people whose history window slid with no event ("no order in 30 days").
    const scheduleDlq = new DeadLetterQueue(this, 'ScheduleDlq', 'the audience pass schedule');
    new Schedule(this, 'DailyPass', {
      description: 'Re-evaluates time-based audiences for every profile',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '3' }),
      target: new StepFunctionsStartExecution(this.jobs, {
        input: ScheduleTargetInput.fromObject({ kind: 'pass', jobId: ContextAttribute.executionId }),
        deadLetterQueue: scheduleDlq,
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
      }),
    });

    // Learning: one schedule per model (its cron) and the engagement pattern's daily job (send-time optimisation).
    for (const { modelId, cron } of props.learning ?? []) {
      new Schedule(this, `Learn-${modelId}`, {
        description: modelId === 'engagement' ? 'Learns the engagement pattern by hour of week (send-time optimisation)' : `Trains model ${modelId} and scores every profile`,
        schedule: ScheduleExpression.expression(schedulerExpression({ cron, timeZone: 'UTC' })),
        target: new StepFunctionsStartExecution(this.jobs, {
          input: ScheduleTargetInput.fromObject({ kind: 'learn', modelId, jobId: ContextAttribute.executionId }),
          deadLetterQueue: scheduleDlq,
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
        }),
      });
    }
  }

  private stackLogicalId(bucket: Bucket): string {
    return Stack.of(this).resolve((bucket.node.defaultChild as CfnBucket).logicalId) as string;
  }
}
