import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReportShape } from '../domain/reports';
import { reportShapeKey } from './dynamodb-tables';

/**
 * What the report needs of each journey, as its journey stack writes it on deploy (RS#<journeyId> / SHAPE: the
 * shape as JSON), so a journey deploys without touching the platform stack. Read once per journey and container.
 */
export class DynamoDbReportShapes {
  private readonly cache = new Map<string, Promise<ReportShape | undefined>>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(journeyId: string): Promise<ReportShape | undefined> {
    let shape = this.cache.get(journeyId);
    if (!shape) {
      shape = this.doc
        .send(new GetCommand({ TableName: this.tableName, Key: reportShapeKey(journeyId) }))
        .then((out) => (typeof out.Item?.shape === 'string' ? (JSON.parse(out.Item.shape) as ReportShape) : undefined));
      // A journey not deployed yet may be soon: only shapes found are kept.
      shape.then((s) => s === undefined && this.cache.delete(journeyId), () => this.cache.delete(journeyId));
      this.cache.set(journeyId, shape);
    }
    return shape;
  }
}
