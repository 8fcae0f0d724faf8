import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrainedModel } from '../domain/models';
import type { EngagementPattern, LearnedStore } from '../ports';
import { learnedModelKey, engagementPatternKey } from './dynamodb-tables';

/**
 * Trained models and the engagement pattern, one item each (coefficients and shares: a few KB). The pattern is
 * read by every send with a best time: cached for ten minutes per container (it changes once a day).
 */
export class DynamoDbLearnedStore implements LearnedStore {
  private cachedPattern: { until: number; value: Promise<EngagementPattern | undefined> } | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlMs = 600_000,
  ) {}

  async model(id: string): Promise<TrainedModel | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: learnedModelKey(id) }));
    return typeof Item?.model === 'string' ? (JSON.parse(Item.model) as TrainedModel) : undefined;
  }

  async saveModel(model: TrainedModel): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...learnedModelKey(model.id), model: JSON.stringify(model), trainedAt: model.trainedAt } }));
  }

  pattern(): Promise<EngagementPattern | undefined> {
    if (this.cachedPattern && this.cachedPattern.until > Date.now()) return this.cachedPattern.value;
    const value = this.doc
      .send(new GetCommand({ TableName: this.tableName, Key: engagementPatternKey }))
      .then(({ Item }) => (typeof Item?.pattern === 'string' ? (JSON.parse(Item.pattern) as EngagementPattern) : undefined));
    value.catch(() => (this.cachedPattern = undefined));
    this.cachedPattern = { until: Date.now() + this.ttlMs, value };
    return value;
  }

  async savePattern(pattern: EngagementPattern): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...engagementPatternKey, pattern: JSON.stringify(pattern), learnedAt: pattern.learnedAt } }));
    this.cachedPattern = undefined;
  }
}
