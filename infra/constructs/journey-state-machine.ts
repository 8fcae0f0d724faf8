import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnStateMachine, CfnStateMachineAlias, CfnStateMachineVersion, DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { entryRule, jumpRule, runRules, type EntryRule } from '../../statemachines';
import type { CompiledJourney } from '../../workspace/load';
import type { JourneyEngine } from './journey-engine';
import { DEFAULT_RESOURCES } from '../../statemachines/contract';
import { FUNCTIONS, TASK_FUNCTIONS } from '../../functions/catalogue';
import { JourneyFunction } from './journey-function';

export interface JourneyStateMachineProps {
  compiled: CompiledJourney;
  bus: IEventBus;
  engine: JourneyEngine;
}

/** One journey: its compiled Standard state machine, and the bus rule that starts it. */
export class JourneyStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly alias: CfnStateMachineAlias;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: JourneyStateMachineProps) {
    super(scope, id);
    const { journey, asl } = props.compiled;
    // The functions journeys' tasks invoke, by the placeholders the compiler writes (statemachines/contract.ts).
    const tasks = Object.values(DEFAULT_RESOURCES).map((placeholder) => [placeholder, JourneyFunction.of(this, FUNCTIONS[TASK_FUNCTIONS[placeholder]!])] as const);
    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: `Journey ${journey.id}`,
      stateMachineType: StateMachineType.STANDARD,
      // The compiler's bytes, as they are; the placeholders are filled by CloudFormation.
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: Object.fromEntries(tasks.map(([placeholder, fn]) => [placeholder.slice(2, -1), fn.functionArn])),
      tracingEnabled: true,
      // Execution data holds profiles and events: keep it out of the logs.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    // Each deploy of a changed journey publishes a version; executions start on the `live` alias. Executions
    // already running finish on the version they started on.
    const { version } = props.compiled;
    const published = new CfnStateMachineVersion(this, 'Version', {
      stateMachineArn: this.stateMachine.stateMachineArn,
      stateMachineRevisionId: this.stateMachine.stateMachineRevisionId,
      description: `journey ${journey.id} version ${version}`,
    });
    this.alias = new CfnStateMachineAlias(this, 'Live', {
      name: 'live',
      description: `The version of journey ${journey.id} profiles enter`,
      routingConfiguration: [{ stateMachineVersionArn: published.attrArn, weight: 100 }],
    });

    // The tasks invoke the unqualified ARNs; grantInvoke would also allow every version (`:*`).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: tasks.map(([, fn]) => fn.functionArn),
      }),
    );
    props.engine.starter.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn, this.alias.attrArn] }));

    // Entry, and entry by a jump step of any journey: the same starter, the same input as the local bus builds
    // (the rule's static part, the ARN, and the event's detail).
    const toStarter = (rule: EntryRule) =>
      new LambdaFunction(props.engine.starter, {
        event: RuleTargetInput.fromObject({
          ...rule.target,
          stateMachineArn: this.stateMachine.stateMachineArn,
          aliasArn: this.alias.attrArn,
          detail: EventField.fromPath('$.detail'),
        }),
        deadLetterQueue: props.engine.deliveryDlq,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      });
    const entry = entryRule(journey, version);
    this.rule = new Rule(this, 'EntryRule', {
      description: `Starts journey ${journey.id} on ${journey.entry.event}`,
      eventBus: props.bus,
      eventPattern: { source: entry.eventPattern.source, detailType: entry.eventPattern['detail-type'] },
    });
    this.rule.addTarget(toStarter(entry));
    const jump = jumpRule(journey, version);
    new Rule(this, 'JumpRule', {
      description: `Starts journey ${journey.id} when a jump step enters a profile into it`,
      eventBus: props.bus,
      eventPattern: { source: jump.eventPattern.source, detailType: jump.eventPattern['detail-type'], detail: jump.eventPattern.detail },
    }).addTarget(toStarter(jump));

    // exitOn and goal: rules on their events feed the runs function, which may stop this journey's executions.
    const runs = runRules(journey);
    for (const run of runs) {
      new Rule(this, run.kind === 'exit' ? 'ExitRule' : 'GoalRule', {
        description: `${run.kind === 'exit' ? 'Ends runs of' : 'Counts the goal of'} journey ${journey.id}`,
        eventBus: props.bus,
        eventPattern: { source: run.eventPattern.source, detailType: run.eventPattern['detail-type'] },
      }).addTarget(
        new LambdaFunction(props.engine.runs, {
          event: RuleTargetInput.fromObject({ ...run.target, detail: EventField.fromPath('$.detail') }),
          deadLetterQueue: props.engine.deliveryDlq,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      );
    }
    // The report: where a stopped run was (the last state it entered), when its execution ends.
    this.allowOnExecutions(props.engine.runs, ['states:GetExecutionHistory', ...(runs.length > 0 ? ['states:StopExecution'] : [])], 'exit criteria, goals, and the report of stopped runs');
  }

  /** Lets a function stop this journey's executions (exit criteria, goals, erasure of a person). */
  allowStop(fn: IFunction, why: string): void {
    this.allowOnExecutions(fn, ['states:StopExecution'], why);
  }

  private allowOnExecutions(fn: IFunction, actions: string[], why: string): void {
    this.stateMachine.grantExecution(fn, ...actions);
    // cdk-nag names the finding by the rendered resource; acknowledge exactly this machine's executions.
    const logicalId = Stack.of(this).resolve((this.stateMachine.node.defaultChild as CfnStateMachine).logicalId) as string;
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}:*]`,
      reason: `${actions.join(', ')} on the executions of journey ${this.node.id}'s own state machine (${why}): execution names only exist at run time.`,
    });
  }
}
