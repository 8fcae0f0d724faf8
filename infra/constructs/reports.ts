import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { reportShape } from '../../functions/domain/report-shape';
import type { ReportShape } from '../../functions/domain/reports';
import { REPORT_ROUTES } from '../../functions/handlers/routes';
import type { CompiledJourney } from '../../workspace/load';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface ReportsProps {
  api: HttpApi;
  tables: ProfileTables;
  journeys: readonly CompiledJourney[];
}

/**
 * Live reports: GET /journeys/{id}/report reads the counters (hour buckets and gauges in the profiles table)
 * that the starter, the count tasks, the send, runs and feedback functions keep. The report page
 * (report/index.html) is a static file that calls it; campaign reports are in the campaign API.
 */
export class Reports extends Construct {
  readonly fn: JourneyFunction;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    const shapes: Record<string, ReportShape> = Object.fromEntries(props.journeys.map((j) => [j.journey.id, reportShape(j.journey)]));
    this.fn = new JourneyFunction(this, 'ReportApi', {
      handler: 'report-api',
      description: "Journey reports: each step's counts in a period, drawn on the journey",
      memorySize: 512,
      define: { __WORKSPACE_REPORT_SHAPES__: JSON.stringify(JSON.stringify(shapes)) },
    });
    props.tables.bindProfiles(this.fn, 'read');
    const integration = new HttpLambdaIntegration('ReportApiIntegration', this.fn);
    for (const route of REPORT_ROUTES) props.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
  }
}
