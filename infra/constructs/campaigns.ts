import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { addApiRoutes } from './ingest-api';
import { FUNCTIONS } from '../../functions/catalogue';
import { campaignGoalRule, campaignRunDefinition, renderDefinition, schedulerExpression, type Campaign } from '../../statemachines';
import type { Audiences } from './audiences';
import type { MessageChannels } from './message-channels';
import { DeadLetterQueue } from './dead-letter-queue';
import type { JourneyEventBus } from './event-bus';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';
import type { JourneyCommons } from './journey-commons';

export interface CampaignsProps {
  api: HttpApi;
  tables: ProfileTables;
  bus: JourneyEventBus;
  channels: MessageChannels;
  audiences: Audiences;
  fromAddress: string;
  campaigns: Record<string, Campaign>;
}

/**
 * Campaigns: the campaign-run state machine (statemachines/campaigns.ts: prepare, then per send time a
 * Distributed Map of paced Express batches), the function behind its Tasks, an EventBridge Scheduler schedule
 * per scheduled campaign, and the API to trigger, follow, pause, resume and cancel runs.
 */
export class Campaigns extends Construct {
  readonly runs: StateMachine;
  readonly fn: JourneyFunction;
  readonly apiFn: JourneyFunction;
  readonly scheduleDlq: DeadLetterQueue;
  readonly schedules: Schedule[] = [];

  constructor(scope: Construct, id: string, props: CampaignsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.fn = new JourneyFunction(this, 'Batches', { fn: FUNCTIONS.campaign, timeout: Duration.minutes(5), memorySize: 1024 });
    props.channels.bindSender(this.fn, props);
    props.bus.bindPublisher(this.fn); // audience journeys: each member enters by a jump event
    const exports = props.audiences.exports;
    this.fn.addEnvironment('EXPORTS_BUCKET', exports.bucketName);
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [exports.arnForObjects('campaigns/*')] }));
    // The account's SES sending quota, so a run never outpaces it; GetAccount names no resource.
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    const bucketId = stack.resolve((exports.node.defaultChild as CfnBucket).logicalId) as string;
    Validations.of(this.fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/campaigns/*]`,
      reason: 'Recipient parts are named by campaign and run at run time; the grant is Put/GetObject under campaigns/ in the exports bucket.',
    });

    // A fixed name: the machine starts its own child executions (the Distributed Map), so its role names its ARN.
    const name = `${stack.stackName}-campaign-runs`;
    const machineArn = Arn.format({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
    const logs = new LogGroup(this, 'RunLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.runs = new StateMachine(this, 'RunStateMachine', {
      stateMachineName: name,
      comment: 'Campaign runs',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(renderDefinition(campaignRunDefinition())),
      definitionSubstitutions: { CampaignFunctionArn: this.fn.functionArn },
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    this.runs.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
    this.runs.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn] }));
    const mapRuns = Arn.format({ service: 'states', resource: 'execution', resourceName: `${name}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
    this.runs.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [mapRuns] }));
    Validations.of(this.runs).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}/*]`,
      reason: "A Distributed Map's child executions are named at run time; the grant covers this machine's own children only.",
    });

    // One schedule per scheduled campaign, in its time zone, with retries and a dead-letter queue.
    this.scheduleDlq = new DeadLetterQueue(this, 'ScheduleDlq', 'the campaign schedules');
    for (const campaign of Object.values(props.campaigns)) {
      if (!campaign.schedule) continue;
      this.schedules.push(
        new Schedule(this, `Schedule-${campaign.id}`, {
          description: `Campaign ${campaign.id}`,
          schedule: ScheduleExpression.expression(schedulerExpression(campaign.schedule), TimeZone.of(campaign.schedule.timeZone)),
          target: new StepFunctionsStartExecution(this.runs, {
            // The scheduler's execution id is the run id: a re-delivered invocation is the same run.
            input: ScheduleTargetInput.fromObject({ campaignId: campaign.id, runId: ContextAttribute.executionId }),
            deadLetterQueue: this.scheduleDlq,
            retryAttempts: 10,
            maxEventAge: Duration.hours(6),
          }),
        }),
      );
    }

    this.apiFn = new JourneyFunction(this, 'Api', { fn: FUNCTIONS.campaignApi, environment: { CAMPAIGN_STATE_MACHINE_ARN: this.runs.stateMachineArn } });
    props.tables.bindProfiles(this.apiFn, 'readWrite');
    this.runs.grantStartExecution(this.apiFn);
    addApiRoutes(props.api, 'campaignApi', this.apiFn);
  }

  /** Campaign goals: a rule on each goal event feeds the runs function, which counts conversions by arm. */
  countGoals(campaigns: Record<string, Campaign>, bus: JourneyEventBus, commons: JourneyCommons): void {
    for (const campaign of Object.values(campaigns)) {
      const rule = campaignGoalRule(campaign);
      if (!rule) continue;
      new Rule(this, `Goal-${campaign.id}`, {
        description: `Counts the goal of campaign ${campaign.id}`,
        eventBus: bus.bus,
        eventPattern: { source: rule.eventPattern.source, detailType: rule.eventPattern['detail-type'] },
      }).addTarget(commons.target('runs', RuleTargetInput.fromObject({ ...rule.target, detail: EventField.fromPath('$.detail') })));
    }
  }
}
