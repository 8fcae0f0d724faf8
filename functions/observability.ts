import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddyfiedHandler } from '@middy/core';

// Every Lambda entry point is observed the same way: Powertools metrics (CloudWatch embedded metric format: a
// cold-start metric, and the handler's own figures). Tracing is Lambda's and Step Functions' active X-Ray
// tracing (set in infra/): Powertools' Tracer would add 260 KiB of X-Ray SDK to every bundle for one more
// subsegment. The structured logs are Powertools' logger (functions/logger.ts). Only the Lambda entries use
// this; the local runtime runs the same handlers without it.

export const METRICS_NAMESPACE = 'OpenJourneys';

/** What a handler's result says worth a metric: name → count. */
export type Measure<R> = (result: R) => Record<string, number>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function observe<E, R>(service: string, handler: MiddyfiedHandler<E, R, any, any>, measure?: Measure<R>): MiddyfiedHandler<E, R, any, any> {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  handler.use(logMetrics(metrics, { captureColdStartMetric: true }));
  if (measure) {
    handler.use({
      after: (request) => {
        for (const [name, n] of Object.entries(measure(request.response as R))) metrics.addMetric(name, 'Count', n);
      },
    });
  }
  return handler;
}
