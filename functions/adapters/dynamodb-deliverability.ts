import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliverabilityStore, DeliveryCounts } from '../domain/deliverability';
import { queryAll } from './dynamodb-query';

const PK = 'G#deliverability';
const hourOf = (at: Date) => at.toISOString().slice(0, 13);

/** Hourly counters (G#deliverability / H#<hour>, atomic ADD) and the guard's state (G#deliverability / GUARD). */
export class DynamoDbDeliverability implements DeliverabilityStore {
  private cached: { at: number; value: { paused: boolean; reason?: string } } | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How long a send trusts the guard state it read (sends read it before every marketing message). */
    private readonly cacheMs = 60_000,
  ) {}

  async count(kind: keyof DeliveryCounts, at: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: PK, sk: `H#${hourOf(at)}` },
        UpdateExpression: 'ADD #k :one SET expiresAt = :ttl',
        ExpressionAttributeNames: { '#k': kind },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.floor(at.getTime() / 1000) + 3 * 86_400 },
      }),
    );
  }

  async lastDay(now: Date): Promise<DeliveryCounts> {
    const items = await queryAll<Partial<DeliveryCounts>>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': PK, ':from': `H#${hourOf(new Date(now.getTime() - 24 * 3_600_000))}`, ':to': `H#${hourOf(now)}` },
      ConsistentRead: true,
    });
    return items.reduce<DeliveryCounts>((sum, i) => ({ delivered: sum.delivered + (i.delivered ?? 0), bounced: sum.bounced + (i.bounced ?? 0), complained: sum.complained + (i.complained ?? 0) }), { delivered: 0, bounced: 0, complained: 0 });
  }

  async paused(): Promise<{ paused: boolean; reason?: string }> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return this.cached.value;
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: PK, sk: 'GUARD' } }));
    const value = { paused: Item?.paused === true, ...(Item?.reason ? { reason: String(Item.reason) } : {}) };
    this.cached = { at: Date.now(), value };
    return value;
  }

  async setPaused(paused: boolean, reason: string, at: Date): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: PK, sk: 'GUARD', paused, reason, since: at.toISOString() } }));
    this.cached = { at: Date.now(), value: { paused, reason } };
  }
}
