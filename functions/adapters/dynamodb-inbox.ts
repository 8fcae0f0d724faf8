import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseDuration } from '../../statemachines/schema/duration';
import type { SentBy } from '../ports';
import type { FeedbackKind } from '../../statemachines/channels';
import type { Deliverer, Inbox, InboxMessage, Outgoing } from '../ports';
import { queryAll } from './dynamodb-query';
import { isConditionFailure } from './dynamodb-errors';
import { inboxKey } from './dynamodb-tables';

/** How long an in-app message stays in the inbox when its template does not say. */
export const DEFAULT_INBOX_DAYS = 30;

/**
 * The in-app channel: a message is kept under the profile (P#<id> / IN#<messageId>) until it expires (TTL) or
 * the app reports it dismissed. The message id derives from the send's key, so a retried delivery writes the
 * same item once (a conditional put) and answers the same id.
 */
export class DynamoDbInbox implements Deliverer<'inApp'>, Inbox {
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
      // The report groups and the choice's segment, for the feedback the app reports (not shown to apps).
      ...(message.tags.groups ? { groups: message.tags.groups } : {}),
      ...(message.tags.learn ? { learn: message.tags.learn } : {}),
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

  async list(profileId: string, now: Date): Promise<InboxMessage[]> {
    const items = await queryAll<Record<string, unknown>>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :in)',
      ExpressionAttributeValues: { ':pk': inboxKey(profileId, '').pk, ':in': 'IN#' },
      ConsistentRead: true,
    });
    return items
      .map(toMessage)
      .filter((m) => m.expiresAt > now.toISOString()) // TTL deletes lazily
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async react(profileId: string, messageId: string, kind: FeedbackKind): Promise<SentBy | undefined> {
    const Key = inboxKey(profileId, messageId);
    try {
      const out =
        kind === 'dismissed'
          ? await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key, ConditionExpression: 'attribute_exists(pk)', ReturnValues: 'ALL_OLD' }))
          : await this.doc.send(
              new UpdateCommand({ TableName: this.tableName, Key, UpdateExpression: 'SET #s = :s', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': kind }, ReturnValues: 'ALL_NEW' }),
            );
      const item = out.Attributes as { journey?: string; step?: string; groups?: string; learn?: string } | undefined;
      return item?.journey ? { journey: item.journey, step: item.step ?? '', ...(item.groups ? { groups: item.groups } : {}), ...(item.learn ? { learn: item.learn } : {}) } : undefined;
    } catch (error) {
      // Gone already (dismissed, expired, erased): nothing to change or count.
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

/** The message as apps read it. */
function toMessage(item: Record<string, unknown>): InboxMessage {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, expires, groups: _groups, learn: _learn, ...rest } = item;
  return { ...(rest as Omit<InboxMessage, 'expiresAt'>), expiresAt: String(expires) };
}
