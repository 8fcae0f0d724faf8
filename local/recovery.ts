import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Run, WaitingItem } from '../functions/ports';

// What the local runtime finds in its data after a restart: parked Express runs (their resume schedules are set
// again) and Standard runs whose execution died with the previous process (closed as stopped).

/** Items of the profiles table that match a filter (a scan: the local runtime's tables are small). */
async function scan<T>(doc: DynamoDBDocumentClient, table: string, filter: string, values: Record<string, unknown>, names?: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: table, FilterExpression: filter, ExpressionAttributeValues: values, ...(names ? { ExpressionAttributeNames: names } : {}), ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }),
    );
    items.push(...((page.Items ?? []) as T[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The parked Express runs. */
export const parkedRuns = (doc: DynamoDBDocumentClient, table: string) =>
  scan<WaitingItem>(doc, table, 'begins_with(pk, :w) AND continuation.#s = :parked', { ':w': 'W#', ':parked': 'parked' }, { '#s': 'status' });

/** Standard runs still marked running: locally their executions lived in the process, so none is left. */
export const orphanedStandardRuns = (doc: DynamoDBDocumentClient, table: string) =>
  scan<Run>(doc, table, 'begins_with(pk, :j) AND #s = :running AND attribute_not_exists(#m)', { ':j': 'J#', ':running': 'running' }, { '#s': 'status', '#m': 'mode' });

/** The run's end as Step Functions would report an execution stopped (the runs function's input). */
export const stoppedExecution = (run: Run, at: Date) => ({
  executionArn: run.executionArn,
  status: 'ABORTED',
  input: JSON.stringify({ profileId: run.profileId, journey: { id: run.journeyId, ...(run.version ? { version: run.version } : {}) }, run: { id: run.executionName, correlation: run.correlation } }),
  stopDate: at.getTime(),
});

/** JO_EXECUTION=standard (or express) runs every journey in that mode: the suite's second pass uses it. */
export function executionFromEnvironment(): 'express' | 'standard' | undefined {
  const value = process.env.JO_EXECUTION;
  if (value === undefined || value === '') return undefined;
  if (value === 'express' || value === 'standard') return value;
  throw new Error(`JO_EXECUTION is "${value}": it is express or standard`);
}
