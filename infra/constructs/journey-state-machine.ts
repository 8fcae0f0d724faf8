import { CfnDeletionPolicy, Validations } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, type IEventBus } from 'aws-cdk-lib/aws-events';
import { CfnStateMachineAlias, CfnStateMachineVersion, DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { contentFile } from '../content-file';
import { entryRule, jumpRule, runRules, type EntryRule } from '../../statemachines';
import type { CompiledJourney } from '../../workspace/load';
import type { JourneyEngine } from './journey-engine';
import type { JourneyCommons } from './journey-commons';
import { DEFAULT_RESOURCES } from '../../statemachines/contract';
import { FUNCTIONS, TASK_FUNCTIONS } from '../../functions/catalogue';
import { JourneyFunction } from './journey-function';

export interface JourneyStateMachineProps {
  compiled: CompiledJourney;
  bus: IEventBus;
  engine: JourneyEngine;
  commons: JourneyCommons;
}

/** Definitions larger than this go to S3 as an asset instead of into the template. */
export const INLINE_DEFINITION_BYTES = 16_384;

/** One journey: its compiled state machine (Express or Standard), and the bus rules that start it. */
export class JourneyStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly alias: CfnStateMachineAlias;
  /** The version this deploy published (parked runs of this journey version resume on it). */
  readonly version: CfnStateMachineVersion;
  /** The rule on its entry event (none for a journey entered only by jumps and campaigns). */
  readonly rule: Rule | undefined;

  constructor(scope: Construct, id: string, props: JourneyStateMachineProps) {
    super(scope, id);
    const { journey, asl } = props.compiled;
    // The functions journeys' tasks invoke, by the placeholders the compiler writes (statemachines/contract.ts).
    const tasks = Object.values(DEFAULT_RESOURCES).map((placeholder) => [placeholder, JourneyFunction.of(this, FUNCTIONS[TASK_FUNCTIONS[placeholder]!])] as const);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: `${props.commons.namePrefix}${journey.id}`,
      comment: `Journey ${journey.id}`,
      role: props.commons.role,
      // Express by default: short segments, parked between them (compile/express.ts); Standard on request.
      stateMachineType: props.compiled.mode === 'express' ? StateMachineType.EXPRESS : StateMachineType.STANDARD,
      // The compiler's bytes, as they are; the placeholders are filled by CloudFormation. A large definition is
      // an S3 asset rather than part of the template (CloudFormation's 1 MB template limit).
      definitionBody: Buffer.byteLength(asl) > INLINE_DEFINITION_BYTES ? DefinitionBody.fromFile(contentFile('open-journeys-definitions', '.asl.json', asl)) : DefinitionBody.fromString(asl),
      definitionSubstitutions: Object.fromEntries(tasks.map(([placeholder, fn]) => [placeholder.slice(2, -1), fn.functionArn])),
      tracingEnabled: true,
      // Execution data holds profiles and events: keep it out of the logs. Express executions log their failures
      // only (their runs are in the run records and the report; logging every state would cost more than the
      // executions themselves); Standard ones keep the console's history and log everything.
      logs: { destination: props.commons.logs, level: props.compiled.mode === 'express' ? LogLevel.ERROR : LogLevel.ALL, includeExecutionData: false },
    });
    if (props.compiled.mode === 'express') {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason: 'An Express journey logs its failed executions; its runs are in the run records, the report counts each step, and logging every state of every segment would cost more than the executions (see jo cost).',
      });
    }
    // Each deploy of a changed journey publishes a version; executions start on the `live` alias. Executions
    // already running finish on the version they started on.
    const { version } = props.compiled;
    const published = (this.version = new CfnStateMachineVersion(this, 'Version', {
      stateMachineArn: this.stateMachine.stateMachineArn,
      stateMachineRevisionId: this.stateMachine.stateMachineRevisionId,
      description: `journey ${journey.id} version ${version}`,
    }));
    // A new version replaces this resource; the old version stays, for the runs parked on it (RS#<journey> /
    // V#<version> names it). Step Functions keeps up to 1,000 versions of a state machine.
    published.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    this.alias = new CfnStateMachineAlias(this, 'Live', {
      name: 'live',
      description: `The version of journey ${journey.id} profiles enter`,
      routingConfiguration: [{ stateMachineVersionArn: published.attrArn, weight: 100 }],
    });

    // Entry, and entry by a jump step of any journey: the same starter, the same input as the local bus builds
    // (the rule's static part, the ARN, and the event's detail).
    const toStarter = (rule: EntryRule) =>
      props.commons.target(
        'starter',
        RuleTargetInput.fromObject({ ...rule.target, stateMachineArn: this.stateMachine.stateMachineArn, aliasArn: this.alias.attrArn, detail: EventField.fromPath('$.detail') }),
      );
    // A journey entered only by jumps and campaigns has no entry rule.
    const entry = entryRule(journey, version, props.compiled.mode);
    if (entry) {
      this.rule = new Rule(this, 'EntryRule', {
        description: `Starts journey ${journey.id} on ${journey.entry.event}`,
        eventBus: props.bus,
        eventPattern: { source: entry.eventPattern.source, detailType: entry.eventPattern['detail-type'] },
      });
      this.rule.addTarget(toStarter(entry));
    }
    const jump = jumpRule(journey, version, props.compiled.mode);
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
      }).addTarget(props.commons.target('runs', RuleTargetInput.fromObject({ ...run.target, detail: EventField.fromPath('$.detail') })));
    }
  }
}
