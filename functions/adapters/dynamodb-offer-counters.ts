import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Offer } from '../domain/offers';
import { isConditionFailure } from './dynamodb-errors';

/**
 * Offer caps and code pools, as atomic counters in the profiles table: O#<offer> / TOTAL, O#<offer> / P#<profile>,
 * O#<offer> / CODES. An ADD under a condition cannot overshoot, however many decisions race.
 */
export class DynamoDbOfferCounters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async add(sk: string, offerId: string, by: 1 | -1, max?: number): Promise<number | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `O#${offerId}`, sk },
          UpdateExpression: 'ADD #c :by',
          ...(max !== undefined ? { ConditionExpression: 'attribute_not_exists(#c) OR #c < :max', ExpressionAttributeValues: { ':by': by, ':max': max } } : { ExpressionAttributeValues: { ':by': by } }),
          ExpressionAttributeNames: { '#c': 'count' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return out.Attributes?.count as number;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Takes one of the offer's places under its caps; false when a cap is reached (nothing is taken then). */
  async claim(offer: Offer, profileId: string): Promise<boolean> {
    const { total, perProfile } = offer.caps;
    if (total !== undefined && (await this.add('TOTAL', offer.id, 1, total)) === undefined) return false;
    if (perProfile !== undefined && (await this.add(`P#${profileId}`, offer.id, 1, perProfile)) === undefined) {
      if (total !== undefined) await this.add('TOTAL', offer.id, -1); // give the total place back
      return false;
    }
    return true;
  }

  /** The next code of the offer's pool, never the same twice; undefined when the pool is used up. */
  async drawCode(offer: Offer & { codes?: readonly string[] }): Promise<string | undefined> {
    const codes = offer.codes ?? [];
    const index = await this.add('CODES', offer.id, 1, codes.length);
    return index === undefined ? undefined : codes[index - 1];
  }

  /** Writes the decision to the profile's log (under the profile, so export and erasure reach it). */
  async log(profileId: string, entry: { at: string; id: string; decision: string; offers: string[]; considered: Array<{ id: string; score: number }>; fallback: boolean }): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: `P#${profileId}`, sk: `DEC#${entry.at}#${entry.id}`, ...entry } }));
  }
}
