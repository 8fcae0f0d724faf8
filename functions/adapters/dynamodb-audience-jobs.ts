import { GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Profile } from '../domain/profile';
import type { AudienceJob, AudienceJobs, ProfileScanner } from '../ports';
import { audienceJobKey, expiresAt } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';

const JOB_DAYS = 30;

/** Audience jobs in the profiles table: A#<audienceId> / JOB#<jobId>. */
export class DynamoDbAudienceJobs implements AudienceJobs {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(audienceId: string, jobId: string): Promise<AudienceJob | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: audienceJobKey(audienceId, jobId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _e, ...job } = Item;
    return job as AudienceJob;
  }

  async save(job: AudienceJob, expectedPages: number | undefined): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...audienceJobKey(job.audienceId, job.jobId), ...job, expiresAt: expiresAt(new Date(job.startedAt), JOB_DAYS) },
          ...(expectedPages === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'pages = :p', ExpressionAttributeValues: { ':p': expectedPages } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/**
 * Every live profile (not merged away), a page at a time, by a Scan of the profiles table filtered to profile
 * items. The scan reads history items too; a sparse index of profile items would read less (noted).
 */
export class DynamoDbProfileScanner implements ProfileScanner {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(cursor: string | undefined, limit: number): Promise<{ profiles: Profile[]; cursor?: string }> {
    const page = await this.doc.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: limit,
        FilterExpression: 'sk = :profile AND attribute_not_exists(mergedInto)',
        ExpressionAttributeValues: { ':profile': 'PROFILE' },
        ...(cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) } : {}),
      }),
    );
    const profiles = (page.Items ?? []).map(({ pk: _pk, sk: _sk, ...p }) => ({ attributes: {}, attributeTimes: {}, ...p }) as Profile);
    return { profiles, ...(page.LastEvaluatedKey ? { cursor: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') } : {}) };
  }
}
