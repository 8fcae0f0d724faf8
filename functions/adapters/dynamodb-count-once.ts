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
  return (await writeIfHolds(doc, [{ Put: { TableName: tableName, Item: marker, ConditionExpression: 'attribute_not_exists(pk)' } }, ...counterUpdates(tableName, adds)])) === true;
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/**
 * One transaction whose parts carry conditions: true when written, else the index of the first part whose
 * condition failed (nothing is written then). Other failures are thrown.
 */
export async function writeIfHolds(doc: DynamoDBDocumentClient, items: TransactItems): Promise<true | number> {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    const failed = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons?.findIndex((r) => r.Code === 'ConditionalCheckFailed') ?? -1;
    if ((error as Error).name === 'TransactionCanceledException' && failed >= 0) return failed;
    throw error;
  }
}

/**
 * The adds as transaction parts: one Update per item (a transaction may not touch an item twice), each adding
 * to all of its attributes in one expression, the adds to one attribute summed.
 */
export function counterUpdates(tableName: string, adds: readonly CounterAdd[]) {
  const items = new Map<string, { pk: string; sk: string; by: Map<string, number> }>();
  for (const a of adds) {
    const id = `${a.pk}\u0000${a.sk}`;
    const item = items.get(id) ?? { pk: a.pk, sk: a.sk, by: new Map<string, number>() };
    item.by.set(a.attribute, (item.by.get(a.attribute) ?? 0) + a.by);
    items.set(id, item);
  }
  return [...items.values()].map((item) => {
    const attributes = [...item.by];
    return {
      Update: {
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `ADD ${attributes.map((_, i) => `#a${i} :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(attributes.map(([name], i) => [`#a${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(attributes.map(([, by], i) => [`:v${i}`, by])),
      },
    };
  });
}
