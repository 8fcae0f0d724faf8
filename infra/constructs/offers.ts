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

/** Offer decisioning: POST /decisions, with caps and code pools as counters in the profiles table. */
export class Offers extends Construct {
  readonly fn: JourneyFunction;

  constructor(scope: Construct, id: string, props: OffersProps) {
    super(scope, id);
    this.fn = new JourneyFunction(this, 'DecisionApi', {
      handler: 'decision-api',
      description: 'Offer decisions: eligibility, ranking, caps, unique codes, the decision log',
      define: { __WORKSPACE_OFFERS__: JSON.stringify(JSON.stringify(props.offers)), __WORKSPACE_DECISIONS__: JSON.stringify(JSON.stringify(props.decisions)) },
    });
    props.tables.bindProfiles(this.fn, 'readWrite');
    const integration = new HttpLambdaIntegration('DecisionApiIntegration', this.fn);
    for (const route of DECISION_ROUTES) props.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
  }
}
