import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DecisionLog, LoggedDecision, OfferStatsStore } from '../domain/decisions';
import type { Offer, OfferStats, OutcomeKind } from '../domain/offers';
import { isConditionFailure } from './dynamodb-errors';
import { countOnce } from './dynamodb-count-once';
import { RECEIPT_DAYS, expiresAt } from './dynamodb-tables';

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

}

/** The decision log: P#<profile> / DEC#<decision id>. */
export class DynamoDbDecisionLog implements DecisionLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(profileId: string, id: string): Promise<LoggedDecision | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `P#${profileId}`, sk: `DEC#${id}` }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...entry } = out.Item;
    return entry as LoggedDecision;
  }

  async put(profileId: string, entry: LoggedDecision): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: `P#${profileId}`, sk: `DEC#${entry.id}`, ...entry }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/**
 * Outcomes per offer and segment: O#<offer> / STATS#<segment>, counted in one transaction with a marker
 * O#<offer> / OUT#<event id>: a redelivered event counts nothing, and a crash leaves neither or both.
 *
 * A channel choice counts every send of its step (`choice:<journey>:<step>:<channel>`): one item would cap a
 * busy step near DynamoDB's 1,000 writes a second per partition, so its counts and markers are spread over
 * CHOICE_SHARDS partitions (O#<id>#<n>, n from the event id), read together and summed.
 */
export const CHOICE_SHARDS = 10;
const shardsOf = (id: string) => (id.startsWith('choice:') ? CHOICE_SHARDS : 1);
const partitionOf = (id: string, shard: number) => (shardsOf(id) === 1 ? `O#${id}` : `O#${id}#${shard}`);

export class DynamoDbOfferStats implements OfferStatsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(offerIds: readonly string[], segment: string): Promise<Map<string, OfferStats>> {
    const stats = new Map<string, OfferStats>();
    // Each id's partitions (one, or a choice's shards), and whose each one is.
    const owner = new Map(offerIds.flatMap((id) => Array.from({ length: shardsOf(id) }, (_, n) => [partitionOf(id, n), id] as const)));
    const all = [...owner.keys()].map((pk) => ({ pk, sk: `STATS#${segment}` }));
    for (let i = 0; i < all.length; i += 100) {
      let keys: Array<Record<string, string>> | undefined = all.slice(i, i + 100);
      for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt += 1) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const id = owner.get(item.pk as string)!;
          const before = stats.get(id) ?? { displays: 0, clicks: 0, conversions: 0 };
          stats.set(id, { displays: before.displays + Number(item.displays ?? 0), clicks: before.clicks + Number(item.clicks ?? 0), conversions: (before.conversions ?? 0) + Number(item.conversions ?? 0) });
        }
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys as Array<Record<string, string>> | undefined;
      }
    }
    return stats;
  }

  async record(eventId: string, offerId: string, kind: OutcomeKind, segments: readonly string[]): Promise<void> {
    const pk = partitionOf(offerId, createHash('sha256').update(eventId).digest().readUInt32BE(0) % shardsOf(offerId));
    const marker = { pk, sk: `OUT#${eventId}`, expiresAt: expiresAt(new Date(), RECEIPT_DAYS) };
    await countOnce(this.doc, this.tableName, marker, segments.map((segment) => ({ pk, sk: `STATS#${segment}`, attribute: kind, by: 1 })));
  }
}
