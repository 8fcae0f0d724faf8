import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Profile } from '../domain/profile';
import type { ProfileStore } from '../ports';
import { profileKey } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';

export class DynamoDbProfileStore implements ProfileStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Profile | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: profileKey(id), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...profile } = Item;
    return { ...profile, attributes: Item.attributes ?? {}, attributeTimes: Item.attributeTimes ?? {} } as Profile;
  }

  async put(profile: Profile, expectedVersion: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...profileKey(profile.id), ...profile },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
