import { Duration } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { INGEST_SOURCE } from '../../statemachines';

/** The bus every accepted event goes onto, with an archive so events can be replayed. */
export class JourneyEventBus extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'Accepted customer events; journey rules start state machines from it' });
    this.bus.archive('Archive', {
      description: 'Ingested events, for replay after an incident',
      eventPattern: { source: [INGEST_SOURCE] },
      retention: Duration.days(30),
    });
  }

  bindPublisher(fn: LambdaFunction): void {
    this.bus.grantPutEventsTo(fn);
    fn.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
  }
}
