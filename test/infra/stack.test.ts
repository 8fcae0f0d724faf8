import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { limitViolations, stackFigures, type StackFigures } from '../../infra/limits';
import { DEFAULT_JOURNEY_STACKS, journeyStackName, journeyStackOf } from '../../infra/journey-stacks';
import { writeScaleWorkspace } from '../fixtures/scale';
import { audienceJobsDefinition, campaignRunDefinition, renderDefinition, schedulerExpression } from '../../statemachines';
import type { JourneysStack } from '../../infra/stacks/journeys-stack';
import { loadWorkspace } from '../../workspace/load';
import { runRules } from '../../statemachines';

const workspace = loadWorkspace('examples/store');
let stack: JourneysStack;
let template: Template;
/** The journey stacks' templates: the journeys are spread over them. */
let journeyTemplates: Template[];
let outdir: string;
const countAcross = (type: string) => journeyTemplates.reduce((n, t) => n + Object.keys(t.findResources(type)).length, 0);
const findAcross = (type: string, props?: unknown) => journeyTemplates.flatMap((t) => Object.values(t.findResources(type, props)));
const hasAcross = (type: string, props: unknown) =>
  expect(
    journeyTemplates.some((t) => {
      try {
        t.hasResourceProperties(type, props);
        return true;
      } catch {
        return false;
      }
    }),
    `a ${type} like ${JSON.stringify(props).slice(0, 200)} in some journey stack`,
  ).toBe(true);

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdk-'));
  const built = buildApp(new App({ outdir, context: { workspace: 'examples/store', fromAddress: 'shop@example.com', reportOrigin: 'https://reports.example.com' } }));
  stack = built.stack;
  // Synthesis runs the cdk-nag AwsSolutions pack and throws on any finding not acknowledged with a reason.
  built.app.synth();
  template = Template.fromStack(stack);
  journeyTemplates = built.journeyStacks.map((s) => Template.fromStack(s));
}, 180_000); // bundles 19 functions: the whole file takes 31 s beside a second npm test, mostly here

describe('cdk-nag AwsSolutions', () => {
  it('passes on the whole app', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((r: { conclusion: string }) => r.conclusion !== 'success')).toStrictEqual([]);
  });

  it('does run: a bare queue fails it', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-nag-')) });
    new Queue(new Stack(app, 'Bad'), 'Queue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});

describe('JourneysStack', () => {
  it('is environment-agnostic, so synth needs no credentials', () => {
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('has one state machine per journey (Express unless the journey asks for Standard), deploying the compiler bytes as they are', () => {
    // The audience jobs loop and the campaign runs in the platform stack; one per journey in the journey stacks.
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    expect(countAcross('AWS::StepFunctions::StateMachine')).toBe(workspace.journeys.length);
    expect(workspace.journeys.some((j) => j.mode === 'express')).toBe(true);
    for (const { asl, mode } of workspace.journeys) {
      hasAcross('AWS::StepFunctions::StateMachine', {
        StateMachineType: mode === 'express' ? 'EXPRESS' : 'STANDARD',
        DefinitionString: asl,
        DefinitionSubstitutions: { SendFunctionArn: Match.anyValue(), ProfileFunctionArn: Match.anyValue(), WaitFunctionArn: Match.anyValue(), JumpFunctionArn: Match.anyValue(), WebhookFunctionArn: Match.anyValue() },
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: mode === 'express' ? 'ERROR' : 'ALL', IncludeExecutionData: false }),
      });
    }
  });

  it('resumes parked Express runs by one-time schedules in one group: a role that may invoke the runs function only, a DLQ with its alarm', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    const [roleId] = Object.entries(template.findResources('AWS::IAM::Role')).find(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com') && String(r.Properties.Description ?? '').includes('parked run'))!;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat()));
    expect(actions.sort()).toStrictEqual(['lambda:InvokeFunction', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].sort());
    // The wait function makes the schedules (passing that role), and knows where they go.
    const wait = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).startsWith('Files the task token'))!;
    expect(Object.keys(wait.Properties.Environment.Variables)).toEqual(expect.arrayContaining(['RESUME_SCHEDULE_GROUP', 'RESUME_TARGET_ARN', 'RESUME_ROLE_ARN', 'RESUME_DLQ_ARN']));
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } } })]) } });
  });

  it('writes what the report needs of each journey, and its version\'s state machine, to the table from its journey stack (the platform stack bundles no journey)', () => {
    const writes = findAcross('Custom::AWS').map((r) => JSON.stringify(r.Properties.Create));
    expect(writes).toHaveLength(workspace.journeys.length);
    // With the report's shape, the state machine version its journey version runs on (parked runs resume on it).
    for (const { journey, version } of workspace.journeys) expect(writes.some((w) => w.includes(`RS#${journey.id}`) && w.includes('batchWriteItem') && w.includes(`V#${version}`))).toBe(true);
    expect(Object.keys(template.findResources('Custom::AWS'))).toHaveLength(0);
  });

  it('publishes a version of each journey behind a live alias, where executions start', () => {
    // Kept when a deploy publishes the next one: runs parked on it resume on it.
    expect(findAcross('AWS::StepFunctions::StateMachineVersion').every((r) => r.UpdateReplacePolicy === 'Retain')).toBe(true);
    expect(countAcross('AWS::StepFunctions::StateMachineVersion')).toBe(workspace.journeys.length);
    expect(countAcross('AWS::StepFunctions::StateMachineAlias')).toBe(workspace.journeys.length);
    for (const { journey, version } of workspace.journeys) {
      hasAcross('AWS::StepFunctions::StateMachineVersion', { Description: `journey ${journey.id} version ${version}`, StateMachineRevisionId: Match.anyValue() });
    }
    hasAcross('AWS::StepFunctions::StateMachineAlias', { Name: 'live', RoutingConfiguration: [{ StateMachineVersionArn: Match.anyValue(), Weight: 100 }] });
    const entry = findAcross('AWS::Events::Rule', { Properties: { EventPattern: { 'detail-type': ['order.delivered'] } } })[0]!;
    const transformer = entry.Properties.Targets[0].InputTransformer;
    expect(JSON.stringify(transformer.InputTemplate)).toContain('aliasArn');
    const version = workspace.journeys.find((j) => j.journey.id === 'post-purchase')!.version;
    expect(JSON.stringify(transformer.InputTemplate)).toContain(`\\"version\\":\\"${version}\\"`);
  });

  it('starts each journey from a bus rule on its entry event, with retries and a dead-letter queue', () => {
    // Platform: the one run-ended rule, the SES feedback rule, a rule per campaign goal. Journey stacks: the rule
    // forwarding the platform bus's events to the stack's bus, and per journey an entry (none for a fan-out, whose
    // profiles enter by jumps) and a jump rule, its exit and goal rules.
    const fanOuts = workspace.journeys.filter((j) => j.journey.entry.fanOut).length;
    const runRuleCount = workspace.journeys.reduce((n, j) => n + runRules(j.journey).length, 0);
    template.resourceCountIs('AWS::Events::Rule', 2 + Object.values(workspace.campaigns).filter((c) => c.goal).length);
    expect(countAcross('AWS::Events::Rule')).toBe(2 * workspace.journeys.length - fanOuts + runRuleCount + journeyTemplates.length);
    for (const { journey } of workspace.journeys.filter((j) => !j.journey.entry.fanOut)) {
      hasAcross('AWS::Events::Rule', {
        EventPattern: { source: ['journeys.jump'], 'detail-type': ['journey.jump'], detail: { target: [journey.id] } },
      });
      hasAcross('AWS::Events::Rule', {
        EventPattern: { source: ['journeys.ingest'], 'detail-type': [journey.entry.event] },
        Targets: [
          Match.objectLike({
            DeadLetterConfig: { Arn: Match.anyValue() },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
            InputTransformer: Match.objectLike({ InputPathsMap: { detail: '$.detail' } }),
          }),
        ],
      });
    }
  });

  it('routes exit and goal events to the runs function, which may stop only those journeys\' executions', () => {
    hasAcross('AWS::Events::Rule', {
      EventPattern: { source: ['journeys.ingest'], 'detail-type': ['customer.unsubscribed'] },
      Targets: [Match.objectLike({ InputTransformer: Match.objectLike({ InputTemplate: Match.stringLikeRegexp('"kind":"exit"') }), DeadLetterConfig: Match.anyValue() })],
    });
    hasAcross('AWS::Events::Rule', {
      EventPattern: { source: ['journeys.ingest'], 'detail-type': ['survey.completed'] },
      Targets: [Match.objectLike({ InputTransformer: Match.objectLike({ InputTemplate: Match.stringLikeRegexp('"kind":"goal"') }) })],
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('states:StopExecution');
  });

  it('closes runs from Step Functions\' own status-change events, for the journeys\' state machines only', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: Match.anyValue() },
      },
      Targets: [Match.objectLike({ InputTransformer: Match.objectLike({ InputPathsMap: { detail: '$.detail' } }), RetryPolicy: Match.anyValue() })],
    });
    // One rule for every journey, by the name prefix every journey's state machine has: it does not grow.
    const ended = Object.values(template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.states'] } } }));
    expect(ended).toHaveLength(1);
    const [pattern] = ended[0]!.Properties.EventPattern.detail.stateMachineArn as Array<{ prefix: unknown }>;
    expect(JSON.stringify(pattern!.prefix)).toContain(':stateMachine:OpenJourneys-j-');
    const machines = findAcross('AWS::StepFunctions::StateMachine').map((m) => m.Properties.StateMachineName as string | undefined);
    expect(machines.filter((n) => n?.startsWith('OpenJourneys-j-')).sort()).toStrictEqual(workspace.journeys.map((j) => `OpenJourneys-j-${j.journey.id}`).sort());
  });

  it('runs the audience jobs loop daily from EventBridge Scheduler (retries, DLQ), exporting to a private bucket', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Target: Match.objectLike({ Input: JSON.stringify({ kind: 'pass', jobId: '<aws.scheduler.execution-id>' }), DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 10 }) }),
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionString: renderDefinition(audienceJobsDefinition()), DefinitionSubstitutions: { AudienceJobsFunctionArn: Match.anyValue() } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] },
      LoggingConfiguration: Match.anyValue(),
    });
  });

  it('trains each model on its schedule in the jobs loop, which reads and writes training rows under models/ only', () => {
    expect(workspace.models.length).toBeGreaterThan(0);
    for (const model of workspace.models) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Description: `Trains model ${model.id} and scores every profile`,
        ScheduleExpression: schedulerExpression({ cron: model.schedule.cron, timeZone: 'UTC' }),
        Target: Match.objectLike({ Input: JSON.stringify({ kind: 'learn', modelId: model.id, jobId: '<aws.scheduler.execution-id>' }), DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 10 }) }),
      });
    }
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement);
    for (const action of ['s3:GetObject', 's3:PutObject']) expect(JSON.stringify(statements.filter((s) => s.Action === action).map((s) => s.Resource))).toContain('/models/*');
  });

  it('counts each campaign goal by a rule on its event, to the runs function, with retries and the delivery dead-letter queue', () => {
    const goals = Object.values(workspace.campaigns).filter((c) => c.goal);
    expect(goals.length).toBeGreaterThan(0);
    for (const campaign of goals) {
      template.hasResourceProperties('AWS::Events::Rule', {
        Description: `Counts the goal of campaign ${campaign.id}`,
        EventPattern: { source: ['journeys.ingest'], 'detail-type': [campaign.goal!.event] },
        Targets: [Match.objectLike({ RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 185 }), DeadLetterConfig: Match.anyValue(), InputTransformer: Match.objectLike({ InputTemplate: Match.stringLikeRegexp(`"journey":\\{"id":"campaign-${campaign.id}"\\}`) }) })],
      });
    }
  });

  it('schedules each scheduled campaign with its expression and time zone, retries and a dead-letter queue', () => {
    const scheduled = Object.values(workspace.campaigns).filter((c) => c.schedule);
    expect(scheduled.length).toBeGreaterThan(0);
    for (const campaign of scheduled) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: schedulerExpression(campaign.schedule!),
        ScheduleExpressionTimezone: campaign.schedule!.timeZone,
        Target: Match.objectLike({
          Input: JSON.stringify({ campaignId: campaign.id, runId: '<aws.scheduler.execution-id>' }),
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21600 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      });
    }
    expect(schedulerExpression({ cron: '0 9 * * MON', timeZone: 'Europe/Paris' })).toBe('cron(0 9 ? * MON *)');
    expect(schedulerExpression({ cron: '30 8 1 * *', timeZone: 'UTC' })).toBe('cron(30 8 1 * ? *)');
    expect(schedulerExpression({ cron: '0 9 * * 1-5', timeZone: 'UTC' })).toBe('cron(0 9 ? * MON-FRI *)');
    expect(schedulerExpression({ rate: '7 days', timeZone: 'UTC' })).toBe('rate(7 days)');
    expect(schedulerExpression({ at: '2026-12-24T09:00', timeZone: 'Europe/Paris' })).toBe('at(2026-12-24T09:00:00)');
    // The run machine fans out with a Distributed Map of Express children.
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionString: renderDefinition(campaignRunDefinition()), DefinitionSubstitutions: { CampaignFunctionArn: Match.anyValue() } });
    expect(JSON.stringify(campaignRunDefinition())).toContain('"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"}');
  });

  it('alarms on every dead-letter queue (anything in it), on the accepted events queue (its lag), and on SES bounce and complaint rates', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const [queue, resource] of Object.entries(queues)) {
      const metric = resource.Properties.RedrivePolicy ? 'ApproximateAgeOfOldestMessage' : 'ApproximateNumberOfMessagesVisible';
      expect(alarms.some((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(queue) && a.Properties.MetricName === metric), `${queue}: an alarm on ${metric}`).toBe(true);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.05 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.001 });
  });

  it('lets the hosted report page read reports: CORS for its origin, GET with an Authorization header only', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: ['https://reports.example.com'], AllowMethods: ['GET'], AllowHeaders: ['authorization'], MaxAge: 3600 } });
  });

  it('has a dashboard of the stack: events and messages, API, Lambda errors and throttles, executions, dead letters, SES', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const title of ['Events and messages', 'HTTP API', 'Lambda errors', 'Lambda throttles', 'Executions started', 'Executions failed', 'Dead-letter queues (messages waiting)', 'SES']) expect(body).toContain(`\\"title\\":\\"${title}\\"`);
    for (const metric of ['events.accepted', 'message.sent', '5xx', 'Throttles', 'ExecutionsFailed', 'ApproximateNumberOfMessagesVisible', 'Reputation.BounceRate']) expect(body).toContain(metric);
  });

  it('alarms on API 5xx, on each function throttled, on each state machine failing', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const on = (metricName: string) => alarms.filter((a) => a.MetricName === metricName);
    expect(on('5xx')).toMatchObject([{ Namespace: 'AWS/ApiGateway', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Sum' }]);
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    for (const fn of functions) expect(on('Throttles').some((a) => JSON.stringify(a.Dimensions).includes(fn))).toBe(true);
    const machines = Object.entries(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(2); // campaign runs, audience jobs (the journeys are in the journey stacks)
    // The campaign and audience job machines each have theirs; every journey is watched by one alarm on the
    // runs function's count of executions that ended failed (it does not grow with the journeys).
    const others = machines.filter(([, m]) => !String(m.Properties.StateMachineName).startsWith('OpenJourneys-j-')).map(([id]) => id);
    expect(others).toHaveLength(2);
    for (const m of others) expect(on('ExecutionsFailed').some((a) => JSON.stringify(a.Dimensions).includes(m))).toBe(true);
    const journeys = alarms.filter((a) => JSON.stringify(a.Metrics ?? '').includes('"MetricName":"executions.failed"'));
    expect(journeys).toHaveLength(1);
    expect(journeys[0]!.Metrics[0].MetricStat).toMatchObject({ Metric: { Namespace: 'OpenJourneys', Dimensions: [{ Name: 'service', Value: 'runs' }] }, Stat: 'Sum' });
    for (const a of [...on('Throttles'), ...on('ExecutionsFailed'), ...journeys]) expect(a).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
  });

  it('feeds SES delivery events back: configuration set to EventBridge, a rule with retries and a DLQ', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ Enabled: true, MatchingEventTypes: ['delivery', 'bounce', 'complaint', 'open', 'click'], EventBridgeDestination: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.ses'], 'detail-type': ['Email Delivered', 'Email Bounced', 'Email Complaint Received', 'Email Opened', 'Email Clicked'] }),
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } })],
    });
  });

  it('lets no route through without the authorizer, but the unsubscribe and preference links (their signed tokens are the credential)', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    const byKey = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
    expect(Object.values(routes).map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]).sort(byKey)).toStrictEqual([
      ['POST /events', 'CUSTOM'],
      ['POST /v1/track', 'CUSTOM'],
      ['POST /v1/identify', 'CUSTOM'],
      ['POST /v1/alias', 'CUSTOM'],
      ['POST /v1/batch', 'CUSTOM'],
      ['PUT /profiles/{id}', 'CUSTOM'],
      ['PATCH /profiles/{id}', 'CUSTOM'],
      ['POST /profiles/import', 'CUSTOM'],
      ['GET /profiles', 'CUSTOM'],
      ['GET /profiles/{id}', 'CUSTOM'],
      ['GET /profiles/{id}/export', 'CUSTOM'],
      ['DELETE /profiles/{id}', 'CUSTOM'],
      ['GET /profiles/{id}/inbox', 'CUSTOM'],
      ['POST /audiences/{id}/exports', 'CUSTOM'],
      ['GET /audiences/{id}/exports/{jobId}', 'CUSTOM'],
      ['POST /imports', 'CUSTOM'],
      ['GET /imports/{jobId}', 'CUSTOM'],
      ['POST /campaigns/{id}/trigger', 'CUSTOM'],
      ['GET /campaigns/{id}/runs/{runId}', 'CUSTOM'],
      ['POST /campaigns/{id}/runs/{runId}/{action}', 'CUSTOM'],
      ['GET /campaigns/{id}/report', 'CUSTOM'],
      ['POST /catalog/events', 'CUSTOM'],
      ['GET /journeys/{id}/report', 'CUSTOM'],
      ['GET /models/{id}/report', 'CUSTOM'],
      ['POST /models/{id}/jobs', 'CUSTOM'],
      ['GET /models/{id}/jobs/{jobId}', 'CUSTOM'],
      ['POST /decisions', 'CUSTOM'],
      ['POST /templates/{id}/preview', 'CUSTOM'],
      ['POST /templates/{id}/proof', 'CUSTOM'],
      ['GET /unsubscribe', 'NONE'],
      ['POST /unsubscribe', 'NONE'],
      ['GET /preferences', 'NONE'],
      ['POST /preferences', 'NONE'],
    ].sort(byKey));
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST', EnableSimpleResponses: true, IdentitySource: ['$request.header.Authorization', '$context.routeKey'] });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
  });

  it('keeps data in on-demand DynamoDB tables with point-in-time recovery and TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('queues accepted events in SQS FIFO (a group per profile, high throughput), applied by a function that reports partial batch failures; the API only enqueues', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    // The ingest API sends to the queue and reads its depth; it no longer publishes to the bus.
    const ingest = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, f]) => /enqueues them/.test(String(f.Properties.Description)))!;
    expect(Object.keys(ingest[1].Properties.Environment.Variables)).toEqual(expect.arrayContaining(['EVENTS_QUEUE_URL', 'PROFILES_TABLE']));
    expect(ingest[1].Properties.Environment.Variables.EVENT_BUS_NAME).toBeUndefined();
  });

  it('runs every function on ARM64 and Node.js 22 or newer, traced', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(20);
    for (const fn of functions) {
      expect(fn.Properties.Architectures).toStrictEqual(['arm64']);
      expect(Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
      expect(fn.Properties.TracingConfig).toStrictEqual({ Mode: 'Active' });
    }
  });

  it('gives the starter a dead-letter queue for failed asynchronous invocations', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('deterministic name'), DeadLetterConfig: { TargetArn: Match.anyValue() } });
  });

  it('pushes through an End User Messaging Push application, allowed only to send its messages', () => {
    template.resourceCountIs('AWS::Pinpoint::App', 1);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('mobiletargeting:SendMessages');
    expect(policies).toContain('/messages');
    expect(policies).toContain('sms-voice:SendTextMessage');
  });

  it('sends email through an SES configuration set, allowed only for the sender identity', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('identity/example.com');
    expect(policies).toContain('identity/shop@example.com');
  });
});

describe('300 journeys, generated (30 of them of 50 steps of every kind)', () => {
  let figures: Array<[stack: string, figures: StackFigures]>;
  let platform: StackFigures;
  let built: ReturnType<typeof buildApp>;

  beforeAll(() => {
    const ws = writeScaleWorkspace(mkdtempSync(join(tmpdir(), 'scale-workspace-')), 300);
    const out = mkdtempSync(join(tmpdir(), 'cdk-scale-'));
    // Bundling is what the example app above tests: here no stack bundles (the CDK's own switch, as
    // `cdk deploy <stack>` uses for the other stacks), so the functions are bundled once per test run.
    built = buildApp(new App({ outdir: out, context: { workspace: ws, fromAddress: 'shop@example.com', reportOrigin: 'https://reports.example.com', 'aws:cdk:bundling-stacks': [] } }));
    // Synthesis fails on a cdk-nag finding or a deploy limit (infra/limits.ts) before these tests run.
    built.app.synth();
    figures = readdirSync(out)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [f.replace('.template.json', ''), stackFigures(readFileSync(join(out, f), 'utf8'))]);
    platform = stackFigures(readFileSync(join(outdir, `${stack.stackName}.template.json`), 'utf8'));
  }, 180_000);

  it('synthesizes into stacks that each stay inside every limit with headroom', () => {
    expect(figures.map(([s]) => s).sort()).toStrictEqual([stack.stackName, ...built.journeyStacks.map((s) => s.stackName)].sort());
    for (const [, f] of figures) {
      expect(f.resources).toBeLessThanOrEqual(450);
      expect(f.templateBytes).toBeLessThan(800_000);
      for (const rules of Object.values(f.rulesPerBus)) expect(rules).toBeLessThanOrEqual(250);
      expect(f.largestPolicy?.bytes ?? 0).toBeLessThanOrEqual(8_192);
    }
    expect(limitViolations(figures[0]![1])).toStrictEqual([]);
  });

  it('keeps the platform stack as it is for the example workspace: nothing in it grows with the journeys', () => {
    const [, large] = figures.find(([s]) => s === stack.stackName)!;
    expect(large.resources).toBe(platform.resources);
    expect(large.rulesPerBus).toStrictEqual(platform.rulesPerBus);
    expect(large.largestPolicy).toStrictEqual(platform.largestPolicy);
  });

  it('puts each journey in the stack its id hashes to, whatever the other journeys are', () => {
    const count = built.journeyStacks.length;
    for (const [group, s] of built.journeyStacks.entries()) {
      const machines = Object.values(Template.fromStack(s).findResources('AWS::StepFunctions::StateMachine')).map((m) => String(m.Properties.StateMachineName).replace('OpenJourneys-j-', ''));
      expect(machines.length).toBeGreaterThan(0);
      for (const id of machines) expect(journeyStackOf(id, count)).toBe(group);
    }
  });
});

describe('one journey changed', () => {
  it('changes its own journey stack and no other', () => {
    const synth = (ws: string) => {
      const out = mkdtempSync(join(tmpdir(), 'cdk-change-'));
      buildApp(new App({ outdir: out, context: { workspace: ws, fromAddress: 'shop@example.com', 'aws:cdk:bundling-stacks': [] } })).app.synth();
      return (name: string) => readFileSync(join(out, `${name}.template.json`), 'utf8');
    };
    const before = synth('examples/store');
    const copy = mkdtempSync(join(tmpdir(), 'changed-workspace-'));
    cpSync('examples/store', copy, { recursive: true });
    const file = join(copy, 'journeys', 'welcome.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"P1D"', '"P2D"'));
    const after = synth(copy);
    const names = [stack.stackName, ...Array.from({ length: DEFAULT_JOURNEY_STACKS }, (_, g) => journeyStackName(stack.stackName, g))];
    const changed = names.filter((n) => before(n) !== after(n));
    expect(changed).toStrictEqual([journeyStackName(stack.stackName, journeyStackOf('welcome', DEFAULT_JOURNEY_STACKS))]);
  }, 120_000);
});

describe('a deployment with email only (-c channels=email)', () => {
  it('has no Pinpoint resource and no push or SMS permission; a workspace with push or SMS templates is refused by name', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-email-only-'));
    const built = buildApp(new App({ outdir: out, context: { workspace: 'test/fixtures/workspaces/consent', fromAddress: 'shop@example.com', channels: 'email', 'aws:cdk:bundling-stacks': [] } }));
    built.app.synth();
    const platform = readFileSync(join(out, `${built.stack.stackName}.template.json`), 'utf8');
    expect(platform).not.toContain('AWS::Pinpoint::');
    expect(platform).not.toContain('mobiletargeting:');
    expect(platform).not.toContain('sms-voice:');
    expect(platform).not.toContain('PINPOINT_APPLICATION_ID');
    expect(() => buildApp(new App({ outdir: mkdtempSync(join(tmpdir(), 'cdk-refused-')), context: { workspace: 'examples/store', fromAddress: 'shop@example.com', channels: 'email' } }))).toThrow(
      /templates for channels not deployed: .*back-in-stock-push \(push\).*-c channels=email,push,sms/,
    );
  }, 120_000);
});

describe('a journey with no entry event of its own', () => {
  it('deploys its jump rule and no entry rule', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-no-entry-'));
    buildApp(new App({ outdir: out, context: { workspace: 'test/fixtures/workspaces/campaigns', fromAddress: 'shop@example.com', 'aws:cdk:bundling-stacks': [] } })).app.synth();
    const rules = readdirSync(out)
      .filter((f) => f.endsWith('.template.json'))
      .flatMap((f) => Object.values(JSON.parse(readFileSync(join(out, f), 'utf8')).Resources as Record<string, { Type: string; Properties: { Description?: string } }>))
      .filter((r) => r.Type === 'AWS::Events::Rule')
      .map((r) => r.Properties.Description ?? '');
    expect(rules.filter((d) => d.includes('journey onboarding'))).toStrictEqual(['Starts journey onboarding when a jump step enters a profile into it']);
  }, 120_000);
});
