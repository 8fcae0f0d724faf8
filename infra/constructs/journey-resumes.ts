import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';
import type { JourneyCommons } from './journey-commons';
import type { JourneyEngine } from './journey-engine';
import type { JourneyFunction } from './journey-function';

export interface JourneyResumesProps {
  engine: JourneyEngine;
  commons: JourneyCommons;
  /** Functions that resume parked runs on an awaited event (the apply function). */
  eventResumers: JourneyFunction[];
  /** Functions that cancel parked runs (erasure). */
  cancellers: JourneyFunction[];
}

/**
 * Express journeys' durable waits: a parked run's one-time EventBridge Scheduler schedule (in one group), made
 * by the wait function, invoking the runs function at the due time (deleted once it fired), retried for a day,
 * then dead-lettered with an alarm. The functions that resume a run start the next segment on the journey's
 * state machine; those that end runs early delete its schedule.
 */
export class JourneyResumes extends Construct {
  readonly group: ScheduleGroup;
  readonly role: Role;
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: JourneyResumesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { wait, runs } = props.engine;
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: `${stack.stackName.slice(0, 48)}-resumes` });
    this.dlq = new DeadLetterQueue(this, 'Dlq', 'the resume schedules of parked runs (EventBridge Scheduler to the runs function)');
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'EventBridge Scheduler: invoke the runs function to resume a parked run; dead-letter what fails',
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [runs.functionArn] }));
    this.dlq.grantSendMessages(this.role);

    const schedules = Arn.format({ service: 'scheduler', resource: 'schedule', resourceName: `${this.group.scheduleGroupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
    const why = 'resume schedules are named at run time (a hash of the parked run), all in this stack\'s group';
    wait.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'], resources: [schedules] }));
    wait.addToRolePolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.role.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } }));
    wait.addEnvironment('RESUME_TARGET_ARN', runs.functionArn);
    wait.addEnvironment('RESUME_ROLE_ARN', this.role.roleArn);
    wait.addEnvironment('RESUME_DLQ_ARN', this.dlq.queueArn);
    // Every function that ends, resumes or erases a run deletes its schedule.
    for (const fn of new Set([wait, runs, ...props.eventResumers, ...props.cancellers])) {
      fn.addEnvironment('RESUME_SCHEDULE_GROUP', this.group.scheduleGroupName);
      if (fn !== wait) fn.addToRolePolicy(new PolicyStatement({ actions: ['scheduler:DeleteSchedule'], resources: [schedules] }));
      Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.group.scheduleGroupName}/*]`, reason: why });
    }
    // A resumed run's next segment starts on the journey's state machine (the runs function already may).
    // The wait function too: a wait since entry resumes its own park when the event came before it.
    for (const fn of [runs, wait, ...props.eventResumers]) props.commons.allowStart(fn, 'to start the next segment of a parked Express run');
  }
}
