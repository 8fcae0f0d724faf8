import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
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
    for (const compiled of props.journeys) {
      new JourneyStateMachine(this, `Journey-${compiled.journey.id}`, { compiled, bus: this.bus, engine: platform.engine, commons: platform.commons });
    }
    acknowledgeStackFindings(this);
  }
}
