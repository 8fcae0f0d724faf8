import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { reportShape } from '../../functions/domain/report-shape';
import { entryCandidate } from '../../functions/domain/arbitration';
import { entryKey } from '../../functions/adapters/dynamodb-tables';
import type { Construct } from 'constructs';
import { INGEST_SOURCE, JUMP_SOURCE } from '../../statemachines';
import type { CompiledJourney } from '../../workspace/load';
import { JourneyStateMachine } from '../constructs/journey-state-machine';
import { acknowledgeStackFindings } from '../nag';
import type { JourneysStack } from './journeys-stack';

export { journeyStackOf } from '../journey-stacks';

export interface JourneyGroupStackProps extends StackProps {
  platform: JourneysStack;
  /** This stack's number: its bus is named after it. */
  group: number;
  journeys: readonly CompiledJourney[];
}

/**
 * A share of the journeys: their state machines (with version and alias) and their rules, on a bus of this
 * stack's own that receives the platform bus's events (so no bus holds more rules than one stack's journeys
 * make). Everything the journeys use (the task functions, the role, the log group, the starter and runs
 * functions) is the platform stack's; nothing there refers back here.
 */
export class JourneyGroupStack extends Stack {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: JourneyGroupStackProps) {
    super(scope, id, props);
    const { platform } = props;
    this.bus = new EventBus(this, 'Bus', { eventBusName: platform.commons.groupBusName(props.group), description: `Journeys of ${id}: the platform bus's events` });
    // Events this stack's journeys may start, end or count on: ingested events and jumps. What cannot be
    // delivered goes to the platform's delivery DLQ (its policy admits the platform bus's rules already).
    const forward = new Role(this, 'ForwardRole', { assumedBy: new ServicePrincipal('events.amazonaws.com'), description: `Puts the platform bus's events on ${id}'s bus` });
    this.bus.grantPutEventsTo(forward);
    new Rule(this, 'Forward', {
      description: `The platform bus's events, to the journeys of ${id}`,
      eventBus: platform.bus.bus,
      eventPattern: { source: [INGEST_SOURCE, JUMP_SOURCE] },
    }).addTarget({
      bind: () => ({
        arn: this.bus.eventBusArn,
        role: forward,
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: Duration.hours(24).toSeconds() },
        deadLetterConfig: { arn: platform.engine.deliveryDlq.queueArn },
      }),
    });
    // What the report API needs of each journey, and the state machine version its journey version runs on (parked
    // Express runs resume on it), written to the profiles table on deploy (RS#<journey>), so a journey deploys
    // without changing the platform stack. One role for every write of this stack.
    const table = platform.tables.profiles;
    const writer = new Role(this, 'ReportShapeWriter', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `Writes the report shapes of ${id}'s journeys` });
    writer.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'], resources: [table.tableArn] }));
    writer.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'));
    for (const compiled of props.journeys) {
      const { journey } = compiled;
      const machine = new JourneyStateMachine(this, `Journey-${journey.id}`, { compiled, bus: this.bus, engine: platform.engine, commons: platform.commons });
      const item = (Item: Record<string, { S: string }>) => ({ PutRequest: { Item } });
      // A journey with a priority is listed under its entry event too, for arbitration (ENTRY#<event>).
      const listed = entryCandidate(journey);
      const entry = listed ? { pk: { S: entryKey(listed.event, journey.id).pk }, sk: { S: journey.id } } : undefined;
      const { event: _event, ...candidate } = listed ?? {};
      const put = {
        service: 'DynamoDB',
        action: 'batchWriteItem',
        parameters: {
          RequestItems: {
            [table.tableName]: [
              item({ pk: { S: `RS#${journey.id}` }, sk: { S: 'SHAPE' }, shape: { S: JSON.stringify(reportShape(journey)) } }),
              item({ pk: { S: `RS#${journey.id}` }, sk: { S: `V#${compiled.version}` }, arn: { S: machine.version.attrArn } }),
              ...(entry ? [item({ ...entry, candidate: { S: JSON.stringify(candidate) } })] : []),
            ],
          },
        },
        // A listing under another event (or none) is a new resource: the old one's delete removes its listing.
        physicalResourceId: PhysicalResourceId.of(`report-shape-${journey.id}${listed ? `-entry-${listed.event}` : ''}`),
      };
      // Deleting it removes the listing only: the report shape stays, and the report with it.
      new AwsCustomResource(this, `ReportShape-${journey.id}`, {
        onCreate: put,
        onUpdate: put,
        ...(entry ? { onDelete: { service: 'DynamoDB', action: 'deleteItem', parameters: { TableName: table.tableName, Key: entry } } } : {}),
        role: writer,
        installLatestAwsSdk: false,
      });
    }
    acknowledgeStackFindings(this);
  }
}
