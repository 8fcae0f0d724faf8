import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JourneyVersions } from '../ports';
import { journeyVersionKey } from './dynamodb-tables';

/**
 * The state machine version of each journey version, as its journey stack writes it on deploy (RS#<journeyId> /
 * V#<version>: `arn`). Versions never change: each found is kept for the container's life.
 */
export class DynamoDbJourneyVersions implements JourneyVersions {
  private readonly found = new Map<string, string>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async arnOf(journeyId: string, version: string): Promise<string | undefined> {
    const id = `${journeyId}\u0000${version}`;
    if (this.found.has(id)) return this.found.get(id);
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: journeyVersionKey(journeyId, version) }));
    const arn = typeof out.Item?.arn === 'string' ? out.Item.arn : undefined;
    if (arn) this.found.set(id, arn);
    return arn;
  }
}
