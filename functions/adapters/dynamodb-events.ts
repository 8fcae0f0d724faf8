import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamodb-query';
import type { TrackedEvent } from '../domain/events';
import type { EventStore, Receipt, ReceiptStatus } from '../ports';
import { EVENT_HISTORY_DAYS, RECEIPT_DAYS, expiresAt, historyKey, profileKey, receiptKey } from './dynamodb-tables';
import type { HistoryEvent } from '../domain/audiences';
import { isConditionFailure } from './dynamodb-errors';

const TRANSACTION_ITEMS = 100; // TransactWriteItems takes at most 100 items
const TRANSACTION_ROUNDS = 8;

export class DynamoDbEventStore implements EventStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One conditional put for one event; for a batch, one transaction of conditional puts per 100 (one request,
   * where a put each cost a request and its SDK overhead): a cancelled transaction names the ids that exist,
   * and the rest go again. Existing ids are then read in one BatchGetItem per 100.
   */
  async claim(events: readonly TrackedEvent[], receivedAt: string): Promise<ReceiptStatus[]> {
    if (events.length === 1) return [(await this.record(events[0]!, receivedAt)) ? 'new' : await this.statusOf(events[0]!.id)];
    const status = new Map<string, ReceiptStatus>();
    for (let i = 0; i < events.length; i += TRANSACTION_ITEMS) {
      let pending = events.slice(i, i + TRANSACTION_ITEMS);
      // Each cancelled round names at least one existing id (then it goes on) or was a conflict (counted).
      for (let conflicts = 0; pending.length > 0; ) {
        if (conflicts === TRANSACTION_ROUNDS) throw new Error('receipts kept conflicting');
        try {
          // The token makes an SDK retry of a transaction that went through answer success, not "exists".
          const token = createHash('sha256').update(`${receivedAt}|${pending.map((e) => e.id).join('|')}`).digest('hex').slice(0, 36);
          await this.doc.send(new TransactWriteCommand({ ClientRequestToken: token, TransactItems: pending.map((e) => ({ Put: this.receiptPut(e, receivedAt) })) }));
          for (const e of pending) status.set(e.id, 'new');
          pending = [];
        } catch (error) {
          const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
          if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
          const existing = new Set(pending.filter((_, j) => reasons[j]?.Code === 'ConditionalCheckFailed').map((e) => e.id));
          for (const id of existing) status.set(id, 'pending');
          pending = pending.filter((e) => !existing.has(e.id));
          if (existing.size === 0) await new Promise((r) => setTimeout(r, 20 * 2 ** (conflicts += 1))); // a conflict: back off
        }
      }
    }
    const seen = events.filter((e) => status.get(e.id) === 'pending').map((e) => e.id);
    for (let i = 0; i < seen.length; i += 100) {
      const keys = seen.slice(i, i + 100).map(receiptKey);
      const { Responses } = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of Responses?.[this.tableName] ?? []) if (item.status === 'published') status.set(String(item.pk).slice(2), 'published');
    }
    return events.map((e) => status.get(e.id) ?? 'pending');
  }

  private async statusOf(id: string): Promise<ReceiptStatus> {
    return (await this.read(id))?.status === 'published' ? 'published' : 'pending';
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

  private receiptPut(event: TrackedEvent, receivedAt: string) {
    return {
      TableName: this.tableName,
      Item: { ...receiptKey(event.id), status: 'pending', receivedAt, timestamp: event.timestamp, expiresAt: expiresAt(new Date(receivedAt), RECEIPT_DAYS) },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }

  private async record(event: TrackedEvent, receivedAt: string): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand(this.receiptPut(event, receivedAt)));
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
