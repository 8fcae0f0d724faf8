import { Validations } from 'aws-cdk-lib';
import { type HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { addApiRoutes } from './ingest-api';
import { FUNCTIONS } from '../../functions/catalogue';
import { JourneyFunction } from './journey-function';
import type { ProfileTables } from './profile-tables';

export interface UnsubscribeProps {
  api: HttpApi;
  tables: ProfileTables;
}

/**
 * One-click unsubscribe (RFC 8058): the key that signs the tokens in List-Unsubscribe links, and the function
 * behind GET/POST /unsubscribe. Mail clients call it without an API key: the signed token is the credential.
 */
export class Unsubscribe extends Construct {
  readonly key: Secret;
  readonly fn: JourneyFunction;
  private readonly url: string;

  constructor(scope: Construct, id: string, props: UnsubscribeProps) {
    super(scope, id);
    this.key = new Secret(this, 'TokenKey', {
      description: 'Signs the unsubscribe tokens of marketing emails (HMAC-SHA256)',
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    });
    Validations.of(this.key).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating this key would invalidate the unsubscribe links in emails already sent; it is rotated by hand, keeping the old key until those emails are old.',
    });
    this.fn = new JourneyFunction(this, 'Function', { fn: FUNCTIONS.unsubscribe });
    props.tables.bindProfiles(this.fn, 'readWrite');
    this.key.grantRead(this.fn);
    this.fn.addEnvironment('UNSUBSCRIBE_KEY_SECRET_ARN', this.key.secretArn);
    addApiRoutes(props.api, 'unsubscribe', this.fn);
    this.url = `${props.api.apiEndpoint}/unsubscribe`;
  }

  /** Lets a sending function sign unsubscribe links: where they point, and the key. */
  bindSigner(fn: JourneyFunction): void {
    this.key.grantRead(fn);
    fn.addEnvironment('UNSUBSCRIBE_KEY_SECRET_ARN', this.key.secretArn);
    fn.addEnvironment('UNSUBSCRIBE_URL', this.url);
  }
}
