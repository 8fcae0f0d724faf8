import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, type IEventBus, type IRuleTarget, type RuleTargetConfig } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTIONS, TASK_FUNCTIONS } from '../../functions/catalogue';
import { DEFAULT_RESOURCES } from '../../statemachines/contract';
import type { JourneyEngine } from './journey-engine';
import { JourneyFunction } from './journey-function';

/**
 * What every journey's state machine shares, so a journey adds only what is its own (its state machine, version,
 * alias and rules): one role (every journey invokes the same task functions), one log group under
 * /aws/vendedlogs/states/ (AWS's advice against the CloudWatch Logs resource-policy size limit), and grants
 * scoped by the journeys' name prefix instead of one statement per journey in the starter's, the runs
 * function's and the profile API's policies.
 */
export class JourneyCommons extends Construct {
  /** Every journey's state machine is named `<prefix><journey id>` (at most 24 + 3 + 48 characters). */
  readonly namePrefix: string;
  readonly role: Role;
  readonly logs: LogGroup;

  private readonly engine: JourneyEngine;
  private readonly rules: string;

  constructor(scope: Construct, id: string, props: { engine: JourneyEngine; bus: IEventBus }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.namePrefix = `${stack.stackName.slice(0, 24)}-j-`;
    this.engine = props.engine;
    // Every rule on the journey stacks' buses may invoke the starter and the runs function, and every rule of
    // theirs (and the platform bus's rules forwarding to them) drop what they cannot deliver in the delivery DLQ:
    // one permission each and one queue statement, not one per rule.
    this.rules = Arn.format({ service: 'events', resource: 'rule', resourceName: `${this.groupBusName('*')}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
    const forwards = Arn.format({ service: 'events', resource: 'rule', resourceName: `${props.bus.eventBusName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }, stack);
    for (const fn of [props.engine.starter, props.engine.runs]) {
      fn.addPermission('FromJourneyRules', { principal: new ServicePrincipal('events.amazonaws.com'), sourceArn: this.rules });
    }
    props.engine.deliveryDlq.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [props.engine.deliveryDlq.queueArn],
        conditions: { ArnLike: { 'aws:SourceArn': [this.rules, forwards] } },
      }),
    );
    this.logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${stack.stackName}-journeys`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('states.amazonaws.com'), description: "Journeys' state machines: invoke the task functions, log, trace" });
    // The tasks invoke the unqualified ARNs; grantInvoke would also allow every version (`:*`).
    const tasks = Object.values(DEFAULT_RESOURCES).map((placeholder) => JourneyFunction.of(this, FUNCTIONS[TASK_FUNCTIONS[placeholder]!]));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: tasks.map((fn) => fn.functionArn) }));

    // The starter starts executions on each journey's live alias; the runs function reads where a stopped run
    // was and stops runs (exit criteria, goals).
    props.engine.starter.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.machines(), `${this.machines()}:*`] }));
    this.acknowledge(props.engine.starter, 'stateMachine', 'StartExecution on the live alias of any journey of this stack (named by the prefix): journeys are added without changing this policy.');
    this.allowOnExecutions(props.engine.runs, ['states:GetExecutionHistory', 'states:StopExecution'], 'exit criteria, goals, and the report of stopped runs');

    // Marks runs ended when their execution stops: Step Functions' own events, no extra state transition. One
    // rule for every journey, by the name prefix.
    new Rule(this, 'ExecutionEnded', {
      description: 'Journey executions that stopped, to close their runs',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ prefix: this.machines('') }] },
      },
    }).addTarget(
      new LambdaFunction(props.engine.runs, {
        event: RuleTargetInput.fromObject({ kind: 'ended', detail: EventField.fromPath('$.detail') }),
        deadLetterQueue: props.engine.deliveryDlq,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
  }

  /**
   * A bus rule's target: the starter or the runs function, with the input given, 185 retries over a day, then
   * the delivery DLQ. The permission and the DLQ statement are the shared ones (above), not one per rule.
   */
  target(fn: 'starter' | 'runs', event: RuleTargetInput): IRuleTarget {
    const handler = this.engine[fn];
    const dlq = this.engine.deliveryDlq;
    return {
      bind: (): RuleTargetConfig => ({
        arn: handler.functionArn,
        input: event,
        targetResource: handler,
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: Duration.hours(24).toSeconds() },
        deadLetterConfig: { arn: dlq.queueArn },
      }),
    };
  }

  /** The bus of journey stack `group` (or a pattern, with '*'). */
  groupBusName(group: number | '*'): string {
    return `${Stack.of(this).stackName}-journeys-${group}`;
  }

  /** The ARN of the journeys' state machines: `…:stateMachine:<prefix>*` (or with another tail). */
  machines(tail = '*'): string {
    return Arn.format({ service: 'states', resource: 'stateMachine', resourceName: `${this.namePrefix}${tail}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(this));
  }

  /** Lets a function start any journey's executions (the next segment of a parked Express run). */
  allowStart(fn: IFunction, why: string): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.machines(), `${this.machines()}:*`] }));
    this.acknowledge(fn, 'stateMachine', `StartExecution on any journey of this stack (named by the prefix), ${why}: journeys are added without changing this policy.`);
  }

  /** Lets a function stop any journey's executions (the erasure of a person). */
  allowStop(fn: IFunction, why: string): void {
    this.allowOnExecutions(fn, ['states:StopExecution'], why);
  }

  private allowOnExecutions(fn: IFunction, actions: string[], why: string): void {
    const executions = Arn.format({ service: 'states', resource: 'execution', resourceName: `${this.namePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(this));
    fn.addToRolePolicy(new PolicyStatement({ actions, resources: [executions] }));
    this.acknowledge(fn, 'execution', `${actions.join(', ')} on the executions of this stack's journeys (${why}): execution names exist only at run time, and journeys are added without changing this policy.`);
  }

  private acknowledge(fn: IFunction, resource: 'stateMachine' | 'execution', reason: string): void {
    const name = `${this.namePrefix}*`;
    for (const arn of resource === 'execution' ? [`execution:${name}`] : [`stateMachine:${name}`, `stateMachine:${name}:*`]) {
      Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${arn}]`, reason });
    }
  }
}
