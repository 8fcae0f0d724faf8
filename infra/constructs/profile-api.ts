import { Duration } from 'aws-cdk-lib';
import { HttpMethod, type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PROFILE_ROUTES } from '../../functions/handlers/routes';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';
import { audiencesDefine, type Audiences } from './audiences';
import type { Audience } from '../../statemachines';

export interface ProfileApiProps {
  api: HttpApi;
  tables: ProfileTables;
  ledger: Table;
  audiences: Audiences;
  audienceList: readonly Audience[];
}

/**
 * Reading profiles (by id or any identity), a person's data export, and erasure, on the same HTTP API and
 * authorizer. Writes (PUT, PATCH) go through the ingest function. Erasure stops running journeys: each
 * journey grants StopExecution on its executions (JourneyStateMachine.allowStop).
 */
export class ProfileApi extends Construct {
  readonly fn: JourneyFunction;

  constructor(scope: Construct, id: string, props: ProfileApiProps) {
    super(scope, id);
    this.fn = new JourneyFunction(this, 'Function', {
      handler: 'profile-api',
      description: 'Profiles: read, look up by identity, export (access) and erase',
      timeout: Duration.seconds(29),
      memorySize: 512,
      define: audiencesDefine(props.audienceList),
    });
    // POST /audiences/{id}/exports starts a job.
    props.audiences.jobs.grantStartExecution(this.fn);
    this.fn.addEnvironment('AUDIENCE_JOBS_STATE_MACHINE_ARN', props.audiences.jobs.stateMachineArn);
    props.tables.bindProfiles(this.fn, 'readWrite');
    props.ledger.grantReadWriteData(this.fn);
    this.fn.addEnvironment('SEND_LEDGER_TABLE', props.ledger.tableName);
    const integration = new HttpLambdaIntegration('ProfileApiIntegration', this.fn);
    for (const route of PROFILE_ROUTES) props.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
  }
}
