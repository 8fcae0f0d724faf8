import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { entryRule } from '../../statemachines';
import type { CompiledJourney } from '../../workspace/load';
import type { JourneyEngine } from './journey-engine';
import type { EmailChannel } from './email-channel';

export interface JourneyStateMachineProps {
  compiled: CompiledJourney;
  bus: IEventBus;
  engine: JourneyEngine;
  email: EmailChannel;
}

/** One journey: its compiled Standard state machine, and the bus rule that starts it. */
export class JourneyStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: JourneyStateMachineProps) {
    super(scope, id);
    const { journey, asl } = props.compiled;
    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: `Journey ${journey.id}`,
      stateMachineType: StateMachineType.STANDARD,
      // The compiler's bytes, as they are; the placeholders are filled by CloudFormation.
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: {
        SendFunctionArn: props.email.send.functionArn,
        ProfileFunctionArn: props.engine.profile.functionArn,
        WaitFunctionArn: props.engine.wait.functionArn,
      },
      tracingEnabled: true,
      // Execution data holds profiles and events: keep it out of the logs.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    // The tasks invoke the unqualified ARNs; grantInvoke would also allow every version (`:*`).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [props.email.send.functionArn, props.engine.profile.functionArn, props.engine.wait.functionArn],
      }),
    );
    this.stateMachine.grantStartExecution(props.engine.starter);

    const rule = entryRule(journey);
    this.rule = new Rule(this, 'EntryRule', {
      description: `Starts journey ${journey.id} on ${journey.entry.event}`,
      eventBus: props.bus,
      eventPattern: { source: rule.eventPattern.source, detailType: rule.eventPattern['detail-type'] },
    });
    this.rule.addTarget(
      new LambdaFunction(props.engine.starter, {
        // The same input the local bus builds: the rule's static part, the ARN, and the event's detail.
        event: RuleTargetInput.fromObject({ ...rule.target, stateMachineArn: this.stateMachine.stateMachineArn, detail: EventField.fromPath('$.detail') }),
        deadLetterQueue: props.engine.deliveryDlq,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
  }
}
