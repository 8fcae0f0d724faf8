import { type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { addApiRoutes } from './ingest-api';
import { FUNCTIONS } from '../../functions/catalogue';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface OffersProps {
  api: HttpApi;
  tables: ProfileTables;
}

/**
 * Offer decisioning: POST /decisions and journeys' decide steps, with caps, code pools and outcomes as counters
 * in the profiles table.
 */
export class Offers extends Construct {
  readonly fn: JourneyFunction;
  /** Decide steps' task. */
  readonly decide: JourneyFunction;

  constructor(scope: Construct, id: string, props: OffersProps) {
    super(scope, id);
    this.fn = new JourneyFunction(this, 'DecisionApi', { fn: FUNCTIONS.decisionApi });
    props.tables.bindProfiles(this.fn, 'readWrite');
    this.decide = new JourneyFunction(this, 'Decide', { fn: FUNCTIONS.decide });
    props.tables.bindProfiles(this.decide, 'readWrite');
    addApiRoutes(props.api, 'decisionApi', this.fn);
  }
}
