import { type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalogue';
import { addApiRoutes } from './ingest-api';
import { JourneyFunction } from './journey-function';
import type { MessageChannels } from './message-channels';
import type { ProfileTables } from './profile-tables';
import type { Unsubscribe } from './unsubscribe';

export interface TemplateApiProps {
  api: HttpApi;
  tables: ProfileTables;
  channels: MessageChannels;
  unsubscribe: Unsubscribe;
  fromAddress: string;
}

/**
 * POST /templates/{id}/preview and /proof: renders a template for a profile (read only), and sends proofs by
 * email from the one address (no configuration set, no ledger: a proof is not a send to the person).
 */
export class TemplateApi extends Construct {
  readonly fn: JourneyFunction;

  constructor(scope: Construct, id: string, props: TemplateApiProps) {
    super(scope, id);
    this.fn = new JourneyFunction(this, 'Function', { fn: FUNCTIONS.templateApi });
    props.tables.bindProfiles(this.fn, 'read');
    props.channels.bindProofMailer(this.fn, props.fromAddress);
    props.unsubscribe.bindSigner(this.fn);
    addApiRoutes(props.api, 'templateApi', this.fn);
  }
}
