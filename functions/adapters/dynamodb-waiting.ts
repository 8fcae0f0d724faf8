import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamodb-query';
import type { Continuation, CounterChange, WaitingItem, WaitingRef, WaitingStore } from '../ports';
import { waitingKey } from './dynamodb-tables';
import { countOnce } from './dynamodb-count-once';
import { counterAdds } from './dynamodb-reports';
import { isConditionFailure } from './dynamodb-errors';

/** Waiting task tokens in the profiles table, under the profile: W#<profileId> / <eventType>#<key>. */
export class DynamoDbWaitingStore implements WaitingStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async file(item: WaitingItem): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...waitingKey(item.profileId, item.eventType, item.key), ...item } }));
  }

  async park(item: WaitingItem & { continuation: Continuation }, counts: readonly CounterChange[], at: Date): Promise<boolean> {
    // The continuation is the marker: a segment run again finds it and counts nothing twice.
    return countOnce(this.doc, this.tableName, { ...waitingKey(item.profileId, item.eventType, item.key), ...item }, counterAdds(counts, at, item.key));
  }

  async consume(ref: WaitingRef, by: string): Promise<WaitingItem | undefined> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: waitingKey(ref.profileId, ref.eventType, ref.key),
          UpdateExpression: 'SET continuation.#s = :consumed, continuation.resumedBy = :by',
          ConditionExpression: 'continuation.#s = :parked OR continuation.resumedBy = :by',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':consumed': by === 'cancel' ? 'cancelled' : 'resumed', ':parked': 'parked', ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes as WaitingItem;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async get(ref: WaitingRef): Promise<WaitingItem | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: waitingKey(ref.profileId, ref.eventType, ref.key), ConsistentRead: true }));
    return result.Item as WaitingItem | undefined;
  }

  async forEvent(profileId: string, eventType: string): Promise<WaitingItem[]> {
    const items = await queryAll<WaitingItem>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :type)',
      ExpressionAttributeValues: { ':pk': waitingKey(profileId, eventType, '').pk, ':type': `${eventType}#` },
      ConsistentRead: true,
    });
    const now = Math.floor(Date.now() / 1000);
    return items.filter((i) => i.expiresAt > now); // TTL deletes lazily
  }

  async forProfile(profileId: string): Promise<WaitingItem[]> {
    return queryAll<WaitingItem>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': waitingKey(profileId, '', '').pk },
      ConsistentRead: true,
    });
  }

  async remove(item: WaitingItem): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: waitingKey(item.profileId, item.eventType, item.key) }));
  }
}
