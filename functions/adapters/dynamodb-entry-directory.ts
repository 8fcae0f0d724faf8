import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EntryCandidate } from '../domain/arbitration';
import type { EntryDirectory } from '../ports';
import { queryAll } from './dynamodb-query';
import { entryKey } from './dynamodb-tables';

/**
 * The journeys with a priority each event type enters, as their journey stacks write them on deploy
 * (ENTRY#<event type> / <journey id>: the candidate as JSON), so a journey deploys without the platform stack.
 * Read once a minute per event type and container: a journey deployed meanwhile joins within a minute.
 */
export class DynamoDbEntryDirectory implements EntryDirectory {
  private readonly cache = new Map<string, { until: number; candidates: Promise<EntryCandidate[]> }>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlMs = 60_000,
  ) {}

  candidates(eventType: string): Promise<EntryCandidate[]> {
    const cached = this.cache.get(eventType);
    if (cached && cached.until > Date.now()) return cached.candidates;
    const candidates = queryAll<{ candidate?: string }>(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': entryKey(eventType, '').pk } }).then((items) =>
      items.flatMap((i) => (typeof i.candidate === 'string' ? [JSON.parse(i.candidate) as EntryCandidate] : [])),
    );
    candidates.catch(() => this.cache.delete(eventType));
    this.cache.set(eventType, { until: Date.now() + this.ttlMs, candidates });
    return candidates;
  }
}
