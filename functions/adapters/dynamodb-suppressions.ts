import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, Suppressions } from '../ports';
import { suppressionKey } from './dynamodb-tables';

/** Only a hash of each address is kept: the list must not hold the addresses of people who asked to be erased. */
export const addressHash = (address: string) => createHash('sha256').update(`suppressed:${address.trim().toLowerCase()}`).digest('hex');

export class DynamoDbSuppressions implements Suppressions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async suppress(address: string, reason: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...suppressionKey(addressHash(address)), reason, at: this.clock.now().toISOString() } }));
  }

  async isSuppressed(address: string): Promise<boolean> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: suppressionKey(addressHash(address)) }));
    return Item !== undefined;
  }
}
