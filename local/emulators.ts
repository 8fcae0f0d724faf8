import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import dynalite from 'dynalite';
import * as sesLocal from 'aws-ses-v2-local';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type CreateTableCommandInput, type TransactWriteItem } from '@aws-sdk/client-dynamodb';

// The emulators behind the real SDK clients: dynalite (DynamoDB on LevelDB) and aws-ses-v2-local (SES v2 with
// a mail viewer). Both run in this process on loopback ports.

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

export interface Emulator {
  url: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const closer = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

/** DynamoDB on LevelDB under `dataDir` (kept across restarts), or in memory when no dir is given. */
export async function startDynamo(port: number, dataDir?: string): Promise<Emulator> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const server = dynalite({ ...(dataDir ? { path: dataDir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const bound = await listen(server, port);
  const url = `http://127.0.0.1:${bound}`;
  addTransactWrite(server, new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  return { url, close: closer(server) };
}

/**
 * dynalite predates DynamoDB transactions: TransactWriteItems is played here as its parts, in order, one
 * transaction at a time, with the items a failed transaction changed put back. All or nothing, as on AWS;
 * isolated from other transactions, not from single writes racing it (enough for an emulator).
 */
function addTransactWrite(server: Server, client: DynamoDBClient): void {
  const dynaliteHandler = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeAllListeners('request');
  let queue: Promise<unknown> = Promise.resolve();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['x-amz-target'] !== 'DynamoDB_20120810.TransactWriteItems') return dynaliteHandler(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const run = queue.then(async () => {
        const { TransactItems } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { TransactItems: TransactWriteItem[] };
        const answer = await transactWrite(client, TransactItems);
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(answer.body));
      });
      queue = run.catch((error: Error) => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: error.message }));
      });
    });
  });
}

async function transactWrite(client: DynamoDBClient, items: TransactWriteItem[]): Promise<{ status: number; body: unknown }> {
  const undo: Array<() => Promise<unknown>> = [];
  for (const [index, item] of items.entries()) {
    const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
    if (!op) return { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'empty TransactItem' } };
    const key: Record<string, AttributeValue> = item.Put ? keyOf(item.Put.Item!) : (op as { Key: Record<string, AttributeValue> }).Key;
    const before = (await client.send(new GetItemCommand({ TableName: op.TableName, Key: key, ConsistentRead: true }))).Item;
    const condition = { ConditionExpression: op.ConditionExpression, ExpressionAttributeNames: op.ExpressionAttributeNames, ExpressionAttributeValues: op.ExpressionAttributeValues };
    try {
      if (item.Put) await client.send(new PutItemCommand({ ...item.Put }));
      else if (item.Update) await client.send(new UpdateItemCommand({ ...item.Update }));
      else if (item.Delete) await client.send(new DeleteItemCommand({ ...item.Delete }));
      // A condition check writes nothing: the item as it is, put back under the condition (or a delete of nothing).
      else if (before) await client.send(new PutItemCommand({ TableName: op.TableName, Item: before, ...condition }));
      else await client.send(new DeleteItemCommand({ TableName: op.TableName, Key: key, ...condition }));
    } catch (error) {
      for (const restore of undo.reverse()) await restore();
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const reasons = items.map((_, i) => (i === index ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' }));
      return {
        status: 400,
        body: { __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, CancellationReasons: reasons },
      };
    }
    undo.push(() => (before ? client.send(new PutItemCommand({ TableName: op.TableName, Item: before })) : client.send(new DeleteItemCommand({ TableName: op.TableName, Key: key }))));
  }
  return { status: 200, body: {} };
}

// The tables of this project key on pk and sk.
const keyOf = (item: Record<string, AttributeValue>): Record<string, AttributeValue> => ({ pk: item.pk!, ...(item.sk ? { sk: item.sk } : {}) });

export async function ensureTables(client: DynamoDBClient, tables: CreateTableCommandInput[]): Promise<void> {
  for (const table of tables) {
    try {
      await client.send(new CreateTableCommand(table));
    } catch (error) {
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
  }
}

/** SES v2 with its mail viewer at `/` and the captured mail as JSON at `/store`. */
export async function startSes(port: number): Promise<Emulator> {
  // The package is CommonJS with a default export; tsx and vitest expose it differently.
  let start: unknown = sesLocal;
  while (typeof start !== 'function' && (start as { default?: unknown } | undefined)?.default) start = (start as { default: unknown }).default;
  if (typeof start !== 'function') throw new Error('aws-ses-v2-local exports no server function');
  const server = await (start as (c: { host: string; port: number }) => Promise<Server>)({ host: '127.0.0.1', port });
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}`, close: closer(server) };
}
