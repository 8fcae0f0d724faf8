import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { JourneyFunction } from './journey-function';
import { routesOf, type ApiFunction } from '../../functions/handlers/routes';
import { FUNCTIONS } from '../../functions/catalogue';
import type { ProfileTables } from './profile-tables';
import type { IngestQueue } from './ingest-queue';

export interface IngestApiProps {
  tables: ProfileTables;
  /** Where accepted events go to be applied. */
  queue: IngestQueue;
  /** Limits of the ingest API (the defaults are in functions/wiring/ingest.ts). */
  limits?: Partial<Record<'MAX_FUTURE_SECONDS' | 'INGEST_MAX_QUEUE_DEPTH' | 'INGEST_MAX_QUEUE_AGE_SECONDS', string>>;
  /** The report page's origin: its GET requests (with the API key) are let through by CORS. */
  reportOrigin?: string;
}

/** The HTTP API behind an API-key Lambda authorizer (no route is anonymous), and the ingest function. */
export class IngestApi extends Construct {
  readonly api: HttpApi;
  readonly keys: Secret;
  readonly ingest: JourneyFunction;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    this.keys = new Secret(this, 'ApiKeys', {
      description: 'API keys for the journeys HTTP API: {"key": "..."} or {"keys": ["...", "..."]}',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'key', excludePunctuation: true, passwordLength: 40 },
    });
    Validations.of(this.keys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'API keys are handed to client systems; operators rotate them by adding a key to "keys", moving clients, then removing the old one.',
    });

    const authorizerFn = new JourneyFunction(this, 'Authorizer', { fn: FUNCTIONS.authorizer, environment: { API_KEYS_SECRET_ARN: this.keys.secretArn } });
    this.keys.grantRead(authorizerFn);
    const authorizer = new HttpLambdaAuthorizer('ApiKey', authorizerFn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // Cached per key and route: a key's answer for a read route must not let it through a write one.
      identitySource: ['$request.header.Authorization', '$context.routeKey'],
      resultsCacheTtl: Duration.minutes(5),
    });

    // Validates, records the ids (receipts), enqueues: no profile writes, so a burst is absorbed by the queue.
    this.ingest = new JourneyFunction(this, 'Ingest', { fn: FUNCTIONS.ingest, timeout: Duration.seconds(29), memorySize: 512, environment: { ...props.limits } });
    props.tables.bindProfiles(this.ingest, 'readWrite');
    props.queue.bindProducer(this.ingest);

    this.api = new HttpApi(this, 'Api', {
      description: 'Journeys: event ingestion',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      ...(props.reportOrigin ? { corsPreflight: { allowOrigins: [props.reportOrigin], allowMethods: [CorsHttpMethod.GET], allowHeaders: ['authorization'], maxAge: Duration.hours(1) } } : {}),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 1000, burstLimit: 2000 },
      // No personal data: neither the body nor the caller's key is logged.
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    // Our format, the Segment tracking API so existing SDKs send here, and profile writes: one function.
    addApiRoutes(this.api, 'ingest', this.ingest);

    new CfnOutput(scope, 'ApiUrl', { value: this.api.apiEndpoint, description: 'POST events to <ApiUrl>/events' });
    new CfnOutput(scope, 'ApiKeySecretArn', { value: this.keys.secretArn, description: 'Secrets Manager secret holding the API key' });
  }
}

/** The routes a function serves (functions/handlers/routes.ts), on the API; token-authenticated ones skip the API key. */
export function addApiRoutes(api: HttpApi, fn: ApiFunction, lambda: JourneyFunction): void {
  const integration = new HttpLambdaIntegration(`${fn[0]!.toUpperCase()}${fn.slice(1)}Integration`, lambda);
  for (const route of routesOf(fn)) {
    const added = api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, ...(route.tokenAuth ? { authorizer: new HttpNoneAuthorizer() } : {}) });
    if (!route.tokenAuth) continue;
    for (const r of added) {
      Validations.of(r).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Reached from mail clients (RFC 8058 one-click), which send no API key; the handler accepts only tokens signed with the key in Secrets Manager.',
      });
    }
  }
}
