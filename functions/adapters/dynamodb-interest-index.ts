import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InterestIndex } from '../ports';
import { isConditionFailure } from './dynamodb-errors';
import { interestKey, interestRefKey } from './dynamodb-tables';

/**
 * The interest index in the profiles table: FX#<journey>#<value> / <profile id>, with the interest's time and a
 * TTL at the end of its window, and a reference in the profile's partition (P#<id> / FX#<journey>#<value>) so an
 * erasure finds and deletes it. A Query reads one value's profiles: a catalog event costs what it matches.
 */
export class DynamoDbInterestIndex implements InterestIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(journeyId: string, value: string, profileId: string, at: string, expiresAt: number): Promise<void> {
    try {
      // Only a later interest moves it (events may be applied out of their time order).
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...interestKey(journeyId, value, profileId), at, expiresAt }, ConditionExpression: 'attribute_not_exists(pk) OR #at < :at', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':at': at } }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return;
    }
    // `member`: the id indexed, kept when a merge moves the reference to the surviving profile.
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...interestRefKey(journeyId, value, profileId), member: profileId, expiresAt } }));
  }

  async page(journeyId: string, value: string, since: string, cursor: string | undefined, limit: number): Promise<{ profileIds: string[]; cursor?: string }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#at >= :since',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':pk': interestKey(journeyId, value, '').pk, ':since': since },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: JSON.parse(cursor) as Record<string, unknown> } : {}),
      }),
    );
    return { profileIds: (out.Items ?? []).map((i) => String(i.sk)), ...(out.LastEvaluatedKey ? { cursor: JSON.stringify(out.LastEvaluatedKey) } : {}) };
  }
}
