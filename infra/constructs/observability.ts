import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, MathExpression, ComparisonOperator, Dashboard, GraphWidget, Metric, TextWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../functions/observability';
import { DeadLetterQueue } from './dead-letter-queue';
import { JourneyFunction } from './journey-function';

export interface ObservabilityProps {
  api: HttpApi;
  /** The journeys' state machines' name prefix (JourneyCommons). */
  journeyNamePrefix: string;
  /** The campaign and audience job machines. */
  stateMachines: ReadonlyArray<{ name: string; machine: StateMachine }>;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What operations watch: one CloudWatch dashboard for the stack, and alarms on what must never happen quietly:
 * API 5xx, a throttled function, a failed execution. (Every dead-letter queue and SES's bounce and complaint
 * rates have their alarms where they are made: DeadLetterQueue, DeliveryFeedback.)
 */
export class Observability extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Every function and queue of the stack: found, so a construct added later is watched too.
    const functions = stack.node.findAll().filter((c): c is JourneyFunction => c instanceof JourneyFunction);
    const queues = stack.node.findAll().filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue);
    const business = (metricName: string, service: string) => new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, statistic: 'Sum', period: FIVE_MINUTES, label: metricName });
    const alarm = (alarmId: string, description: string, metric: IMetric) =>
      this.alarms.push(
        new Alarm(this, alarmId, { alarmDescription: description, metric, threshold: 0, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 1, treatMissingData: TreatMissingData.NOT_BREACHING }),
      );

    alarm('Api5xx', 'The HTTP API answered 5xx: a handler failed; events may have been refused (clients retry)', props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }));
    for (const fn of functions) {
      alarm(`${fn.node.path.replace(/[^A-Za-z0-9]/g, '')}Throttles`, `${fn.node.path}: invocations throttled (reserved or account concurrency)`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }));
    }
    for (const { name, machine } of props.stateMachines) {
      alarm(`${name.replace(/[^A-Za-z0-9]/g, '')}Failed`, `State machine ${name}: executions failed (see its execution history)`, machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }));
    }
    // One alarm for every journey, whatever their number: the runs function counts the executions that end failed.
    alarm('JourneyExecutionsFailed', 'Journey executions failed or timed out (the runs function sees every end; see the execution history)', business('executions.failed', 'runs'));

    const ses = (metricName: string, statistic = 'Sum') => new Metric({ namespace: 'AWS/SES', metricName, statistic, period: Duration.hours(1), label: metricName });
    // Every journey's state machine, found by its name prefix: the dashboard does not grow with the journeys.
    const journeys = (metricName: string) =>
      new MathExpression({ expression: `SEARCH('{AWS/States,StateMachineArn} MetricName="${metricName}" "${props.journeyNamePrefix}"', 'Sum', 300)`, label: `journeys: ${metricName}`, period: FIVE_MINUTES });
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${stack.stackName}-journeys`, defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# ${stack.stackName}\nJourney reports per step: GET /journeys/{id}/report, or the report page (report/index.html).`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Events and messages', left: [business('events.accepted', 'ingest'), business('events.duplicates', 'ingest'), business('message.sent', 'send'), business('message.skipped', 'send'), business('message.deferred', 'send')], width: 12 }),
      new GraphWidget({ title: 'HTTP API', left: [props.api.metricCount({ period: FIVE_MINUTES }), props.api.metricClientError({ period: FIVE_MINUTES }), props.api.metricServerError({ period: FIVE_MINUTES })], right: [props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' })], width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Lambda errors', left: functions.map((fn) => fn.metricErrors({ period: FIVE_MINUTES, label: fn.node.id })), width: 12 }),
      new GraphWidget({ title: 'Lambda throttles', left: functions.map((fn) => fn.metricThrottles({ period: FIVE_MINUTES, label: fn.node.id })), width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Executions started', left: [journeys('ExecutionsStarted'), ...props.stateMachines.map(({ name, machine }) => machine.metricStarted({ period: FIVE_MINUTES, label: name }))], width: 12 }),
      new GraphWidget({ title: 'Executions failed', left: [journeys('ExecutionsFailed'), ...props.stateMachines.map(({ name, machine }) => machine.metricFailed({ period: FIVE_MINUTES, label: name }))], width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Dead-letter queues (messages waiting)', left: queues.map((q) => q.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label: q.node.path })), width: 12 }),
      new GraphWidget({ title: 'SES', left: [ses('Send'), ses('Delivery'), ses('Bounce'), ses('Complaint')], right: [ses('Reputation.BounceRate', 'Maximum'), ses('Reputation.ComplaintRate', 'Maximum')], width: 12 }),
    );
  }
}
