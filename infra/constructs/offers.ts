import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import type { Decision, Offer } from '../../functions/domain/offers';
import { DECISION_ROUTES } from '../../functions/handlers/routes';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface OffersProps {
  api: HttpApi;
  tables: ProfileTables;
  offers: readonly Offer[];
  decisions: Record<string, Decision>;
}

export const decisionsDefine = (decisions: Record<string, Decision>) => ({ __WORKSPACE_DECISIONS__: JSON.stringify(JSON.stringify(decisions)) });

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
    // Both functions decide: both get the workspace's offers and decisions.
    const define = { __WORKSPACE_OFFERS__: JSON.stringify(JSON.stringify(props.offers)), ...decisionsDefine(props.decisions) };
    this.fn = new JourneyFunction(this, 'DecisionApi', {
      handler: 'decision-api',
      description: 'Offer decisions: eligibility, ranking, caps, unique codes, the decision log',
      define,
    });
    props.tables.bindProfiles(this.fn, 'readWrite');
    this.decide = new JourneyFunction(this, 'Decide', {
      handler: 'decide',
      description: "Journeys' decide steps: offers for the run's profile, once per visit",
      define,
    });
    props.tables.bindProfiles(this.decide, 'readWrite');
    const integration = new HttpLambdaIntegration('DecisionApiIntegration', this.fn);
    for (const route of DECISION_ROUTES) props.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
  }
}
