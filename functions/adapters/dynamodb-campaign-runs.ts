import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamodb-query';
import type { BatchOutcome, CampaignRun, CampaignRuns } from '../ports';
import { campaignBatchKey, campaignRunKey, expiresAt } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';

const RUN_DAYS = 400;

/** Campaign runs and their batch outcomes, in the profiles table. */
export class DynamoDbCampaignRuns implements CampaignRuns {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(campaignId: string, runId: string): Promise<CampaignRun | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: campaignRunKey(campaignId, runId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _e, ...run } = Item;
    return run as CampaignRun;
  }

  async save(run: CampaignRun): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...campaignRunKey(run.campaignId, run.runId), ...run, expiresAt: expiresAt(new Date(run.startedAt), RUN_DAYS) },
          ...(run.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': run.version - 1 } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async recordBatch(campaignId: string, runId: string, outcome: BatchOutcome): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...campaignBatchKey(campaignId, runId, outcome.part), ...outcome, expiresAt: expiresAt(new Date(), RUN_DAYS) } }));
  }

  async list(campaignId: string): Promise<CampaignRun[]> {
    const items = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)', ExpressionAttributeValues: { ':pk': campaignRunKey(campaignId, '').pk, ':run': 'RUN#' } });
    return (items.map(({ pk: _pk, sk: _sk, expiresAt: _e, ...run }) => run) as unknown as CampaignRun[]).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  async batches(campaignId: string, runId: string): Promise<BatchOutcome[]> {
    const items = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': campaignBatchKey(campaignId, runId, '').pk }, ConsistentRead: true });
    return items.map(({ pk: _pk, sk: _sk, expiresAt: _e, ...o }) => o) as unknown as BatchOutcome[];
  }
}
