import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countOnce } from './dynamodb-count-once';
import type { CounterChange, CounterRow, ReportCounters } from '../ports';
import { queryAll } from './dynamodb-query';
import { RECEIPT_DAYS, expiresAt } from './dynamodb-tables';

const hourOf = (at: Date) => `${at.toISOString().slice(0, 13)}:00Z`;

/** The counter items the changes add to (the layout below), for a write that counts together with its own item. */
export const counterAdds = (changes: readonly CounterChange[], at: Date) =>
  changes.map((c) => ({ pk: `RP#${c.scope}`, sk: `${c.gauge ? 'ALL' : hourOf(at)}#${c.key}`, attribute: 'n', by: c.by }));

/**
 * Report counters in the profiles table: RP#<scope> / <hour>#<key> (hour buckets) and RP#<scope> / ALL#<key>
 * (gauges). Each count is one transaction with a marker RK#<idempotency key>: a retried task finds the marker
 * and adds nothing, and a crash cannot leave the marker without the counts (or the counts without it).
 */
export class DynamoDbReportCounters implements ReportCounters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(idempotencyKey: string, at: Date, changes: readonly CounterChange[]): Promise<boolean> {
    const marker = { pk: `RK#${idempotencyKey}`, sk: 'COUNTED', expiresAt: expiresAt(at, RECEIPT_DAYS) };
    return countOnce(this.doc, this.tableName, marker, counterAdds(changes, at));
  }

  async read(scope: string, from: Date, to: Date): Promise<CounterRow[]> {
    // One query from the first hour to the gauges (hours sort before ALL#): buckets and gauges read together.
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :gauges',
      ExpressionAttributeValues: { ':pk': `RP#${scope}`, ':from': hourOf(from), ':gauges': 'ALL#\uffff' },
    });
    const last = hourOf(to);
    return items
      .map((i) => {
        const sk = i.sk as string;
        const cut = sk.indexOf('#');
        return { hour: sk.slice(0, cut), key: sk.slice(cut + 1), n: Number(i.n ?? 0) };
      })
      .filter((row) => row.hour === 'ALL' || row.hour <= last);
  }
}
