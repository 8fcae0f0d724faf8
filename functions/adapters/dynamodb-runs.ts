import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, ClaimPolicy, CounterChange, Run, RunRef, RunStore } from '../ports';
import { counterUpdates, writeIfHolds } from './dynamodb-count-once';
import { counterAdds } from './dynamodb-reports';
import { expiresAt, runKey, runPartition } from './dynamodb-tables';
import { isConditionFailure } from './dynamodb-errors';
import { queryAll } from './dynamodb-query';

const RUN_DAYS = 400; // a run lasts at most a year; the record stays a little longer for re-entry rules

export class DynamoDbRunStore implements RunStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // The condition is claimAdmits (functions/domain/runs.ts) as DynamoDB writes it.
  async claim(run: Run, policy: ClaimPolicy): Promise<ClaimOutcome> {
    const values: Record<string, unknown> = { ':name': run.executionName };
    let condition = 'attribute_not_exists(pk) OR executionName = :name';
    if (policy.mode === 'notWhileIn') {
      values[':ended'] = 'ended';
      if (policy.enteredBefore) {
        values[':before'] = policy.enteredBefore;
        condition += ' OR (#s = :ended AND enteredAt <= :before)';
      } else {
        condition += ' OR #s = :ended';
      }
    }
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...runKey(run.profileId, run.journeyId, run.correlation), ...run, expiresAt: expiresAt(new Date(run.enteredAt), RUN_DAYS) },
          ConditionExpression: condition,
          ...(policy.mode === 'notWhileIn' ? { ExpressionAttributeNames: { '#s': 'status' } } : {}),
          ExpressionAttributeValues: values,
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: runKey(run.profileId, run.journeyId, run.correlation), ConsistentRead: true }));
    return Item?.status === 'running' ? 'in-journey' : 'no-reentry';
  }

  async runs(profileId: string, journeyId: string, correlation?: string): Promise<Run[]> {
    if (correlation !== undefined) {
      const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: runKey(profileId, journeyId, correlation), ConsistentRead: true }));
      return Item ? [Item as Run] : [];
    }
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :journey)',
        ExpressionAttributeValues: { ':pk': runPartition(profileId), ':journey': `${journeyId}#` },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []) as Run[];
  }

  async profileRuns(profileId: string): Promise<Run[]> {
    return queryAll<Run>(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': runPartition(profileId) }, ConsistentRead: true });
  }

  private async update(run: RunRef, set: string, condition: string, values: Record<string, unknown>, names?: Record<string, string>): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(run.profileId, run.journeyId, run.correlation),
          UpdateExpression: set,
          ConditionExpression: condition,
          ExpressionAttributeValues: { ...values, ':name': run.executionName },
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async end(run: RunRef, outcome: string, endedAt: string, counts?: readonly CounterChange[]): Promise<boolean> {
    // Only this run, while it runs: a later run of the same key is left alone, and an end is recorded once.
    const update = {
      TableName: this.tableName,
      Key: runKey(run.profileId, run.journeyId, run.correlation),
      UpdateExpression: 'SET #s = :ended, endedAt = :at, outcome = :outcome',
      ConditionExpression: 'executionName = :name AND #s = :running',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':ended': 'ended', ':running': 'running', ':at': endedAt, ':outcome': outcome, ':name': run.executionName },
    };
    if (!counts?.length) return this.update(run, update.UpdateExpression, update.ConditionExpression, update.ExpressionAttributeValues, update.ExpressionAttributeNames);
    // With counts: the end is their marker, one transaction (the run's end counted once, with it).
    return (await writeIfHolds(this.doc, [{ Update: update }, ...counterUpdates(this.tableName, counterAdds(counts, new Date(endedAt), `${run.executionName}#end`))])) === true;
  }

  convert(run: RunRef, at: string): Promise<boolean> {
    return this.update(run, 'SET convertedAt = :at', 'executionName = :name AND attribute_not_exists(convertedAt)', { ':at': at });
  }
}
