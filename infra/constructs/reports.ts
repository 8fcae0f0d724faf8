import { type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { addApiRoutes } from './ingest-api';
import { FUNCTIONS } from '../../functions/catalogue';
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
    this.fn = new JourneyFunction(this, 'ReportApi', { fn: FUNCTIONS.reportApi, memorySize: 512 });
    props.tables.bindProfiles(this.fn, 'read');
    addApiRoutes(props.api, 'reportApi', this.fn);
  }
}
