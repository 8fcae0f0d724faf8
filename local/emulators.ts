import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import * as sesLocal from 'aws-ses-v2-local';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

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
  return { url: `http://127.0.0.1:${bound}`, close: closer(server) };
}

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
