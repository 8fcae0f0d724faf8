// AWS list prices (USD, us-east-1, on-demand, November 2026) and the default quotas the cost and start-rate
// figures use. Prices: the services' pricing pages; DynamoDB after the November 2024 cut of on-demand
// throughput. Quotas: the Step Functions and EventBridge Scheduler quota pages (primary Regions).

export const PRICES = {
  sesPerEmail: 0.1 / 1000,
  smsPerMessageUs: 0.00581, // End User Messaging, US toll-free, before carrier fees
  pushPerMillion: 0.5, // Pinpoint / End User Messaging push notifications
  dynamoWritePerMillion: 0.625, // on-demand write request units
  dynamoReadPerMillion: 0.125, // on-demand read request units
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  standardPerThousandTransitions: 0.025,
  expressPerMillionRequests: 1.0,
  expressPerGbSecond: 0.00001667, // billed in 100 ms steps at 64 MB at least
  schedulerPerMillionInvocations: 1.0,
  eventBridgePerMillionEvents: 1.0, // custom events put on a bus
  logsPerGbIngested: 0.5,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
} as const;

export const QUOTAS = {
  /** StartExecution, per account and Region: Standard 1,300 bucket, 300 per second; Express 6,000 and 6,000. */
  standardStartsPerSecond: 300,
  expressStartsPerSecond: 6000,
  /** Standard state transitions: 5,000 bucket, 1,500 per second (Express: unlimited). */
  standardTransitionsPerSecond: 1500,
  /** Open Standard executions per account and Region (Express: does not apply). */
  standardOpenExecutions: 1_000_000,
  /** EventBridge Scheduler (primary Regions): CreateSchedule and DeleteSchedule requests, invocations per second. */
  schedulerCreatesPerSecond: 5000,
  schedulerDeletesPerSecond: 1000,
  schedulerInvocationsPerSecond: 1000,
  /** Schedules that may exist at once per Region: parked runs at once. */
  schedulerSchedules: 10_000_000,
} as const;
