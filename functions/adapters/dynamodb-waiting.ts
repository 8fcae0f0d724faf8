import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamodb-query';
import type { WaitingItem, WaitingStore } from '../ports';
import { waitingKey } from './dynamodb-tables';

/** Waiting task tokens in the profiles table, under the profile: W#<profileId> / <eventType>#<key>. */
export class DynamoDbWaitingStore implements WaitingStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async file(item: WaitingItem): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...waitingKey(item.profileId, item.eventType, item.key), ...item } }));
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
