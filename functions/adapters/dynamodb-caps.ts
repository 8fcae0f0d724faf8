import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CapCounters, FrequencyCap } from '../ports';
import { capKey } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';

const MAX_ROUNDS = 200;
const jitter = (round: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 * 2 ** Math.min(round, 6))));

/**
 * A sliding log per profile, channel and category (P#id / CAP#channel#category): the sends in the window, each
 * with its key. Taking a place is a conditional write on the item's version: of sends racing for the last place,
 * exactly one gets it.
 */
export class DynamoDbCapCounters implements CapCounters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(profileId: string, cap: FrequencyCap, sendKey: string, now: Date): Promise<'taken' | 'exceeded'> {
    const Key = capKey(profileId, cap.channel, cap.category);
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      if (round > 0) await jitter(round);
      const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
      const since = now.getTime() - cap.windowSeconds * 1000;
      const sends = ((Item?.sends ?? []) as Array<{ key: string; at: number }>).filter((s) => s.at > since);
      if (sends.some((s) => s.key === sendKey)) return 'taken';
      if (sends.length >= cap.max) return 'exceeded';
      const version = (Item?.version as number | undefined) ?? 0;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, sends: [...sends, { key: sendKey, at: now.getTime() }], version: version + 1, expiresAt: Math.ceil(now.getTime() / 1000) + cap.windowSeconds },
            ...(version === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } }),
          }),
        );
        return 'taken';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('the frequency cap counter kept changing');
  }
}
