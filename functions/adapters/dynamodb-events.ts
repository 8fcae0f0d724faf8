import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamodb-query';
import type { TrackedEvent } from '../domain/events';
import type { EventStore, Receipt, ReceiptStatus } from '../ports';
import { EVENT_HISTORY_DAYS, RECEIPT_DAYS, expiresAt, historyKey, profileKey, receiptKey } from './dynamodb-tables';
import type { HistoryEvent } from '../domain/audiences';
import { isConditionFailure } from './dynamodb-errors';

export class DynamoDbEventStore implements EventStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(event: TrackedEvent, receivedAt: string): Promise<ReceiptStatus> {
    if (await this.record(event, receivedAt)) return 'new';
    return (await this.read(event.id))?.status === 'published' ? 'published' : 'pending';
  }

  async receive(event: TrackedEvent, receivedAt: string): Promise<Receipt> {
    const found = await this.read(event.id);
    if (found) return { status: found.status === 'published' ? 'published' : 'pending', ...(typeof found.timestamp === 'string' ? { timestamp: found.timestamp } : {}) };
    if (await this.record(event, receivedAt)) return { status: 'new', timestamp: event.timestamp };
    return this.receive(event, receivedAt); // recorded in between: read it
  }

  /** The receipt, if the id was recorded; a conditional put records it with the event's timestamp. */
  private async read(id: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: receiptKey(id), ConsistentRead: true }));
    return Item;
  }

  private async record(event: TrackedEvent, receivedAt: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...receiptKey(event.id), status: 'pending', receivedAt, timestamp: event.timestamp, expiresAt: expiresAt(new Date(receivedAt), RECEIPT_DAYS) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  async markPublished(eventId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: receiptKey(eventId),
        UpdateExpression: 'SET #s = :p',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':p': 'published' },
      }),
    );
  }

  async history(profileId: string, since?: string, types?: readonly string[]): Promise<HistoryEvent[]> {
    // The time window is the key range; the types a filter (read capacity is that of the window).
    const typeFilter = types && types.length > 0 && types.length <= 100 ? types : undefined;
    return queryAll<HistoryEvent>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': profileKey(profileId).pk,
        ':from': `E#${since ?? ''}`,
        ':to': 'E#~',
        ...Object.fromEntries((typeFilter ?? []).map((t, i) => [`:t${i}`, t])),
      },
      ...(typeFilter ? { FilterExpression: `#t IN (${typeFilter.map((_, i) => `:t${i}`).join(', ')})` } : {}),
      ProjectionExpression: 'id, #t, #ts, properties',
      ConsistentRead: true, // the event just appended counts
      ExpressionAttributeNames: { '#t': 'type', '#ts': 'timestamp' },
    });
  }

  async appendHistory(event: TrackedEvent): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...historyKey(event.profileId, event.timestamp, event.id),
          id: event.id,
          type: event.type,
          timestamp: event.timestamp,
          properties: event.properties,
          expiresAt: expiresAt(new Date(event.timestamp), EVENT_HISTORY_DAYS),
        },
      }),
    );
  }
}
