import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countOnce } from './dynamodb-count-once';
import type { CounterChange, CounterRow, ReportCounters } from '../ports';
import { queryAll } from './dynamodb-query';
import { RECEIPT_DAYS, expiresAt } from './dynamodb-tables';

const hourOf = (at: Date) => `${at.toISOString().slice(0, 13)}:00Z`;

/**
 * Each scope's counters are spread over this many items per hour (and for its gauges), by the hash of the
 * count's idempotency key: no one item takes every write of a busy journey (an item takes some 1,000 write
 * units a second at most), and the report sums them.
 */
export const COUNTER_SHARDS = 8;
const shardOf = (key: string) => createHash('sha256').update(key).digest().readUInt32BE(0) % COUNTER_SHARDS;
const NOT_COUNTERS = new Set(['pk', 'sk', 'expiresAt']);

/**
 * The counter items the changes add to: RP#<scope> / <hour>#s<shard> (hour buckets) and RP#<scope> /
 * ALL#s<shard> (gauges), one attribute per metric. A count touches one or two items whatever its metrics, so
 * it rides on a write that counts together with its own item (a continuation, a marker).
 */
export const counterAdds = (changes: readonly CounterChange[], at: Date, idempotencyKey: string) => {
  const shard = shardOf(idempotencyKey);
  return changes.map((c) => ({ pk: `RP#${c.scope}`, sk: `${c.gauge ? 'ALL' : hourOf(at)}#s${shard}`, attribute: c.key, by: c.by }));
};

/**
 * Report counters in the profiles table. Each count is one transaction with a marker RK#<idempotency key>: a
 * retried task finds the marker and adds nothing, and a crash cannot leave the marker without the counts (or
 * the counts without it).
 */
export class DynamoDbReportCounters implements ReportCounters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(idempotencyKey: string, at: Date, changes: readonly CounterChange[]): Promise<boolean> {
    const marker = { pk: `RK#${idempotencyKey}`, sk: 'COUNTED', expiresAt: expiresAt(at, RECEIPT_DAYS) };
    return countOnce(this.doc, this.tableName, marker, counterAdds(changes, at, idempotencyKey));
  }

  async read(scope: string, from: Date, to: Date): Promise<CounterRow[]> {
    // One query from the first hour to the gauges (hours sort before ALL#): buckets and gauges read together.
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :gauges',
      ExpressionAttributeValues: { ':pk': `RP#${scope}`, ':from': hourOf(from), ':gauges': 'ALL#\uffff' },
    });
    const last = hourOf(to);
    const sums = new Map<string, CounterRow>();
    for (const item of items) {
      const sk = item.sk as string;
      const hour = sk.slice(0, sk.indexOf('#'));
      if (hour !== 'ALL' && hour > last) continue;
      for (const [key, n] of Object.entries(item)) {
        if (NOT_COUNTERS.has(key)) continue;
        const id = `${hour}\u0000${key}`;
        sums.set(id, { hour, key, n: (sums.get(id)?.n ?? 0) + Number(n) });
      }
    }
    return [...sums.values()];
  }
}
