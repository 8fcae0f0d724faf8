import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES } from '../../local/runtime';
import { scanTable } from './helpers';

// `npm start`'s program as a real process the tests can SIGKILL: one node process with tsx's loader (tsx's CLI
// would run the runtime in a child, which a kill of its parent leaves behind), free ports, a data dir.

const ROOT = resolve(import.meta.dirname, '../..');

export interface StartedRuntime {
  child: ChildProcess;
  api: string;
  mail: string;
  dynamo: string;
}

/** Starts it on `dataDir/data` with these extra flags; resolves with its URLs once it prints them. */
export function startProcess(dataDir: string, children: Set<ChildProcess>, flags: string[] = []): Promise<StartedRuntime> {
  const args = ['--import', 'tsx', 'local/main.ts', ...flags, '--port', '0', '--ses-port', '0', '--dynamo-port', '0', '--messaging-port', '0', '--data-dir', join(dataDir, 'data')];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, JO_RUNTIME_FILE: join(dataDir, 'runtime.json') }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolveStart, reject) => {
    let out = '';
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const api = /API\s+(http:\/\/\S+)\/events/.exec(out)?.[1];
      const mail = /Mail viewer\s+(http:\/\/\S+)/.exec(out)?.[1];
      const dynamo = /DynamoDB\s+(http:\/\/\S+)/.exec(out)?.[1];
      if (api && mail && dynamo) resolveStart({ child, api, mail, dynamo });
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${out}`)));
  });
}

/** Resolves once the process has exited (at once if it has). */
export const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

/** Every item of the profiles table of the runtime (or bare DynamoDB) at this endpoint. */
export async function profilesTableAt(endpoint: string): Promise<Array<Record<string, any>>> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  try {
    return await scanTable(doc, LOCAL_TABLES.profiles);
  } finally {
    doc.destroy();
  }
}
