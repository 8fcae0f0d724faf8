import { createHash } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseDuration } from '../../statemachines/schema/duration';
import type { Deliverer, Outgoing } from '../ports';
import { isConditionFailure } from './dynamodb-errors';
import { inboxKey } from './dynamodb-tables';

/** How long an in-app message stays in the inbox when its template does not say. */
export const DEFAULT_INBOX_DAYS = 30;

/**
 * The in-app channel: a message is kept under the profile (P#<id> / IN#<messageId>) until it expires (TTL) or
 * the app reports it dismissed. The message id derives from the send's key, so a retried delivery writes the
 * same item once (a conditional put) and answers the same id.
 */
export class DynamoDbInbox implements Deliverer<'inApp'> {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async deliver(message: Outgoing<'inApp'>): Promise<{ messageId: string }> {
    const id = createHash('sha256').update(message.key).digest('hex').slice(0, 32);
    const created = this.now();
    const expiry = message.template.expiresAfter ? parseDuration(message.template.expiresAfter) : undefined;
    const seconds = expiry?.ok ? expiry.seconds : DEFAULT_INBOX_DAYS * 86_400;
    const expires = new Date(created.getTime() + seconds * 1000);
    // `expiresAt` is the table's TTL attribute (epoch seconds); apps read the ISO time, kept as `expires`.
    const item = {
      ...inboxKey(message.to, id),
      id,
      title: message.title,
      body: message.body,
      ...(message.url ? { url: message.url } : {}),
      ...(message.imageUrl ? { imageUrl: message.imageUrl } : {}),
      journey: message.tags.journey ?? '',
      step: message.tags.step ?? '',
      createdAt: created.toISOString(),
      expires: expires.toISOString(),
      status: 'new',
      expiresAt: Math.floor(expires.getTime() / 1000),
    };
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return { messageId: id };
  }
}
