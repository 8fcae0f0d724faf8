import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, LedgerEntry, LedgerMeta, SendLedger } from '../ports';
import { LEDGER_DAYS, expiresAt, sendRecordKey } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';

export class DynamoDbSendLedger implements SendLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    /** Where each send is also recorded under its profile (P#id / S#key), for export and erasure. */
    private readonly profilesTable?: string,
  ) {}

  async claim(key: string, attempt: string, meta: LedgerMeta): Promise<LedgerEntry | undefined> {
    if (this.profilesTable) {
      // Before the claim, so that no ledger entry exists that an erasure cannot find.
      const { profileId, ...rest } = meta;
      await this.doc.send(new PutCommand({ TableName: this.profilesTable, Item: { ...sendRecordKey(profileId, key), ledgerKey: key, ...rest, expiresAt: expiresAt(this.clock.now(), LEDGER_DAYS) } }));
    }
    // Twice: a claim released between our failed put and our read is free again.
    for (let round = 0; round < 2; round += 1) {
      const now = this.clock.now();
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: key, status: 'sending', attempt, ...meta, claimedAt: now.toISOString(), expiresAt: expiresAt(now, LEDGER_DAYS) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return undefined;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const existing = await this.read(key);
      if (existing) return existing;
    }
    throw new Error(`ledger entry ${key} keeps changing`);
  }

  async read(key: string): Promise<LedgerEntry | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: key }, ConsistentRead: true }));
    if (!Item) return undefined;
    return { key, status: Item.status, attempt: Item.attempt, claimedAt: Item.claimedAt, reason: Item.reason, messageId: Item.messageId, ...(Item.locale ? { locale: Item.locale } : {}), ...(Item.channel ? { channel: Item.channel } : {}) };
  }

  async finish(key: string, attempt: string, outcome: { status: 'sent' | 'skipped' | 'failed'; reason?: string; messageId?: string; locale?: string }): Promise<boolean> {
    const values: Record<string, unknown> = { ':s': outcome.status, ':a': attempt, ':sending': 'sending', ':t': this.clock.now().toISOString() };
    let set = 'SET #s = :s, finishedAt = :t';
    if (outcome.reason !== undefined) {
      set += ', reason = :r';
      values[':r'] = outcome.reason;
    }
    if (outcome.messageId !== undefined) {
      set += ', messageId = :m';
      values[':m'] = outcome.messageId;
    }
    if (outcome.locale !== undefined) {
      set += ', locale = :l';
      values[':l'] = outcome.locale;
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key },
          UpdateExpression: set,
          // Only from `sending`, and only by the claim's holder: an outcome is never overwritten.
          ConditionExpression: 'attempt = :a AND #s = :sending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(key: string, attempt: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: key },
          ConditionExpression: 'attempt = :a AND #s = :sending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':a': attempt, ':sending': 'sending' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
