import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdentityStore } from '../ports';
import { identityKey } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';

/** The identity index in the profiles table: I#<type>:<value> / IDENTITY → profileId. */
export class DynamoDbIdentityStore implements IdentityStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async owner(identity: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: identityKey(identity), ConsistentRead: true }));
    return Item?.profileId as string | undefined;
  }

  async link(identity: string, profileId: string): Promise<string | undefined> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...identityKey(identity), profileId },
          ConditionExpression: 'attribute_not_exists(pk) OR profileId = :p',
          ExpressionAttributeValues: { ':p': profileId },
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const owner = await this.owner(identity);
    return owner === profileId ? undefined : owner;
  }

  async move(identity: string, from: string, to: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...identityKey(identity), profileId: to },
          ConditionExpression: 'attribute_not_exists(pk) OR profileId = :from OR profileId = :to',
          ExpressionAttributeValues: { ':from': from, ':to': to },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async unlink(identity: string, profileId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: identityKey(identity), ConditionExpression: 'profileId = :p', ExpressionAttributeValues: { ':p': profileId } }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
