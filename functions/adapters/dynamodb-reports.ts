import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CounterChange, CounterRow, ReportCounters } from '../ports';
import { queryAll } from './dynamodb-query';
import { RECEIPT_DAYS, expiresAt } from './dynamodb-tables';

const hourOf = (at: Date) => `${at.toISOString().slice(0, 13)}:00Z`;

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
    // One update per item: a transaction may not touch an item twice.
    const merged = new Map<string, { pk: string; sk: string; by: number }>();
    for (const c of changes) {
      const pk = `RP#${c.scope}`;
      const sk = `${c.gauge ? 'ALL' : hourOf(at)}#${c.key}`;
      const id = `${pk}\u0000${sk}`;
      merged.set(id, { pk, sk, by: (merged.get(id)?.by ?? 0) + c.by });
    }
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { pk: `RK#${idempotencyKey}`, sk: 'COUNTED', expiresAt: expiresAt(at, RECEIPT_DAYS) }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...[...merged.values()].map((m) => ({
              Update: { TableName: this.tableName, Key: { pk: m.pk, sk: m.sk }, UpdateExpression: 'ADD #n :by', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':by': m.by } },
            })),
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
      if ((error as Error).name === 'TransactionCanceledException' && reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
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
