import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamodb-query';
import type { TrackedEvent } from '../domain/events';
import type { EventStore, ReceiptStatus } from '../ports';
import { EVENT_HISTORY_DAYS, RECEIPT_DAYS, expiresAt, historyKey, profileKey, receiptKey } from './dynamodb-tables';
import type { HistoryEvent } from '../domain/audiences';
import { isConditionFailure } from './dynamodb-errors';

export class DynamoDbEventStore implements EventStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async receive(event: TrackedEvent, receivedAt: string): Promise<ReceiptStatus> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...receiptKey(event.id), status: 'pending', receivedAt, expiresAt: expiresAt(new Date(receivedAt), RECEIPT_DAYS) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'new';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: receiptKey(event.id), ConsistentRead: true }));
    return Item?.status === 'published' ? 'published' : 'pending';
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
