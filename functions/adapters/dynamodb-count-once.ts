import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One counter change: ADD `by` to `attribute` of the item at pk / sk. */
export interface CounterAdd {
  pk: string;
  sk: string;
  attribute: string;
  by: number;
}

/**
 * Applies the adds once: one transaction with a marker item taken by conditional put. A retry finds the marker
 * and adds nothing (false); a crash leaves neither or both. Adds to one item are summed first: a transaction
 * may not touch an item twice.
 */
export async function countOnce(doc: DynamoDBDocumentClient, tableName: string, marker: Record<string, unknown>, adds: readonly CounterAdd[]): Promise<boolean> {
  const merged = new Map<string, CounterAdd>();
  for (const a of adds) {
    const id = `${a.pk}\u0000${a.sk}\u0000${a.attribute}`;
    merged.set(id, { ...a, by: (merged.get(id)?.by ?? 0) + a.by });
  }
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: marker, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...[...merged.values()].map((m) => ({
            Update: { TableName: tableName, Key: { pk: m.pk, sk: m.sk }, UpdateExpression: 'ADD #a :by', ExpressionAttributeNames: { '#a': m.attribute }, ExpressionAttributeValues: { ':by': m.by } },
          })),
        ],
      }),
    );
    return true;
  } catch (error) {
    const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    if ((error as Error).name === 'TransactionCanceledException' && reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}
