import { Duration } from 'aws-cdk-lib';
import { type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { addApiRoutes } from './ingest-api';
import { FUNCTIONS } from '../../functions/catalogue';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';
import type { Audiences } from './audiences';

export interface ProfileApiProps {
  api: HttpApi;
  tables: ProfileTables;
  ledger: Table;
  audiences: Audiences;
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
    this.fn = new JourneyFunction(this, 'Function', { fn: FUNCTIONS.profileApi, timeout: Duration.seconds(29), memorySize: 512 });
    // POST /audiences/{id}/exports starts a job.
    props.audiences.jobs.grantStartExecution(this.fn);
    this.fn.addEnvironment('AUDIENCE_JOBS_STATE_MACHINE_ARN', props.audiences.jobs.stateMachineArn);
    props.tables.bindProfiles(this.fn, 'readWrite');
    props.ledger.grantReadWriteData(this.fn);
    this.fn.addEnvironment('SEND_LEDGER_TABLE', props.ledger.tableName);
    addApiRoutes(props.api, 'profileApi', this.fn);
  }
}
