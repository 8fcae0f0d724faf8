import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalogue';
import { DeadLetterQueue } from './dead-letter-queue';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';
import type { JourneyEventBus } from './event-bus';

export interface JourneyEngineProps {
  tables: ProfileTables;
  bus: JourneyEventBus;
}

/** The functions all journeys share: the starter behind the bus rules, and the profile loader for conditions. */
export class JourneyEngine extends Construct {
  readonly starter: JourneyFunction;
  readonly profile: JourneyFunction;
  /** Files the task tokens of waitForEvent steps. */
  readonly wait: JourneyFunction;
  /** Puts jump steps' events on the bus. */
  readonly jump: JourneyFunction;
  /** Ends runs (exitOn), counts goals, and marks runs ended when their execution stops. */
  readonly runs: JourneyFunction;
  readonly runsDlq: DeadLetterQueue;
  /** Events a rule could not deliver to the starter. */
  readonly deliveryDlq: DeadLetterQueue;
  /** Invocations the starter failed on after Lambda's own retries. */
  readonly starterDlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: JourneyEngineProps) {
    super(scope, id);
    this.deliveryDlq = new DeadLetterQueue(this, 'RuleDeliveryDlq', 'the journey rules (EventBridge to the starter)');
    this.starterDlq = new DeadLetterQueue(this, 'StarterDlq', 'the starter function (asynchronous invocations)');
    this.starter = new JourneyFunction(this, 'Starter', { fn: FUNCTIONS.starter, deadLetterQueue: this.starterDlq, timeout: Duration.seconds(10) });
    this.profile = new JourneyFunction(this, 'Profile', { fn: FUNCTIONS.profile });
    props.tables.bindProfiles(this.profile, 'readWrite');
    props.bus.bindPublisher(this.profile); // audience.entered / exited after an update
    // The starter claims the profile's run (re-entry rules) before it starts an execution.
    props.tables.bindProfiles(this.starter, 'readWrite');
    this.runsDlq = new DeadLetterQueue(this, 'RunsDlq', 'the runs function (asynchronous invocations)');
    this.runs = new JourneyFunction(this, 'Runs', { fn: FUNCTIONS.runs, deadLetterQueue: this.runsDlq });
    props.tables.bindProfiles(this.runs, 'readWrite');
    this.wait = new JourneyFunction(this, 'WaitForEvent', { fn: FUNCTIONS.wait });
    props.tables.bindProfiles(this.wait, 'readWrite');
    // A Standard wait since entry answers its own token when the event came before it. SendTaskSuccess takes no narrower resource.
    this.wait.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] }));
    this.jump = new JourneyFunction(this, 'Jump', { fn: FUNCTIONS.jump });
    props.bus.bindPublisher(this.jump);
  }
}
