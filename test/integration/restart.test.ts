import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamo } from '../../local/emulators';
import { LOCAL_TABLES } from '../../local/runtime';
import { eventually, scanTable } from './helpers';

// `npm start` killed (SIGKILL) right after answering 202 for a batch of 100, then started again on the same
// data dir: every accepted event is applied, once, and the journeys they start run.

const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'jo-restart-'));
const children = new Set<ChildProcess>();

interface Started {
  child: ChildProcess;
  api: string;
  mail: string;
  dynamo: string;
}

/** npm start's program, on free ports and the shared data dir; resolves with its URLs once it prints them. */
function start(): Promise<Started> {
  // One process (node with tsx's loader), so SIGKILL kills the runtime itself (tsx's CLI would run it in a child).
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', '--port', '0', '--ses-port', '0', '--dynamo-port', '0', '--messaging-port', '0', '--data-dir', join(dataDir, 'data')], { cwd: ROOT, env: { ...process.env, JO_RUNTIME_FILE: join(dataDir, 'runtime.json') }, stdio: ['ignore', 'pipe', 'pipe'] });
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

const killed = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

async function scan(endpoint: string): Promise<Array<Record<string, unknown>>> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  try {
    return await scanTable(doc, LOCAL_TABLES.profiles);
  } finally {
    doc.destroy();
  }
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([...children].map(killed));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start killed after a 202, then restarted on the same data dir', () => {
  it('applies all 100 accepted events once, and runs the journeys they start', async () => {
    const first = await start();
    const events = Array.from({ length: 100 }, (_, i) => ({ id: `rs-${i}`, type: 'order.delivered', profileId: `rs-${i}`, attributes: { email: `rs-${i}@example.com`, firstName: 'R' }, properties: { orderId: `RS-${i}` } }));
    const answer = await fetch(`${first.api}/events`, { method: 'POST', headers: { authorization: 'Bearer local-dev-key', 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
    first.child.kill('SIGKILL');
    expect(answer.status).toBe(202);
    expect(((await answer.json()) as { accepted: string[] }).accepted).toHaveLength(100);
    await killed(first.child);

    // What the killed process had applied: read from its data with DynamoDB alone.
    const dynamo = await startDynamo(0, join(dataDir, 'data', 'dynamodb'));
    const before = new Set((await scan(dynamo.url)).filter((i) => String(i.pk).startsWith('R#rs-') && i.status === 'published').map((i) => String(i.pk).slice(2)));
    await dynamo.close();

    const second = await start();
    const items = await eventually(async () => {
      const all = await scan(second.dynamo);
      return all.filter((i) => String(i.pk).startsWith('R#rs-') && i.status === 'published').length === 100 && all;
    }, 60_000);
    for (const e of events) {
      expect(items.filter((i) => i.pk === `P#${e.profileId}` && String(i.sk).startsWith('E#')), e.id).toHaveLength(1);
      expect(items.find((i) => i.pk === `P#${e.profileId}` && i.sk === 'PROFILE')).toMatchObject({ attributes: { email: `rs-${e.profileId.slice(3)}@example.com` } });
    }
    // Each event applied after the restart starts its journey: the survey email, once.
    const after = events.filter((e) => !before.has(e.id)).map((e) => `${e.profileId}@example.com`);
    const mails = await eventually(async () => {
      const found = ((await (await fetch(`${second.mail}/store`)).json()) as { emails: Array<{ destination: { to: string[] } }> }).emails.flatMap((m) => m.destination.to);
      return after.every((to) => found.includes(to)) && found;
    }, 60_000);
    expect(mails.filter((to) => to.startsWith('rs-')).sort()).toStrictEqual(after.sort());
    console.log(`restart: ${before.size} of 100 applied before the kill, ${after.length} after the restart`);
  }, 180_000);
});
