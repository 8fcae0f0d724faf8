import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface JourneyEngineProps {
  tables: ProfileTables;
}

/** The functions all journeys share: the starter behind the bus rules, and the profile loader for conditions. */
export class JourneyEngine extends Construct {
  readonly starter: JourneyFunction;
  readonly profile: JourneyFunction;
  /** Files the task tokens of waitForEvent steps. */
  readonly wait: JourneyFunction;
  /** Events a rule could not deliver to the starter. */
  readonly deliveryDlq: DeadLetterQueue;
  /** Invocations the starter failed on after Lambda's own retries. */
  readonly starterDlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: JourneyEngineProps) {
    super(scope, id);
    this.deliveryDlq = new DeadLetterQueue(this, 'RuleDeliveryDlq', 'the journey rules (EventBridge to the starter)');
    this.starterDlq = new DeadLetterQueue(this, 'StarterDlq', 'the starter function (asynchronous invocations)');
    this.starter = new JourneyFunction(this, 'Starter', {
      handler: 'starter',
      description: 'Checks a journey entry condition and starts the execution under a deterministic name',
      deadLetterQueue: this.starterDlq,
      timeout: Duration.seconds(10),
    });
    this.profile = new JourneyFunction(this, 'ProfileLoader', { handler: 'profile', description: 'Reloads a profile for a journey condition' });
    props.tables.bindProfiles(this.profile, 'read');
    this.wait = new JourneyFunction(this, 'WaitForEvent', { handler: 'wait', description: 'Files the task token of a waitForEvent step under the profile' });
    props.tables.bindProfiles(this.wait, 'readWrite');
  }
}
