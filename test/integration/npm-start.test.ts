import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRuntimeFile, removeRuntimeFile, writeRuntimeFile } from '../../local/runtime-file';

// `npm start`'s program with another workspace, in memory: what it prints and leaves behind.

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'jo-npm-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('prints the links and example of the loaded workspace, writes where it listens for jo report and the demo, and leaves nothing behind', async () => {
    const temp = join(dir, 'tmp');
    const file = join(dir, 'runtime.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(temp);
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts', '--workspace', 'test/fixtures/workspaces/consent', '--memory', '--port', '0', '--ses-port', '0', '--dynamo-port', '0', '--messaging-port', '0'], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: temp, JO_RUNTIME_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    for (let i = 0; i < 600 && !/-d '\{/.test(out); i += 1) await new Promise((r) => setTimeout(r, 50));
    const journeys = readdirSync(join(ROOT, 'test/fixtures/workspaces/consent/journeys')).map((f) => f.replace('.json', ''));
    expect(out).toMatch(new RegExp(`/report#journey=(${journeys.join('|')})&key=local-read-key`));
    expect(out).not.toContain('journey=onboarding');
    expect(out).not.toContain('order.delivered');
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toMatchObject({ pid: child.pid, apiKey: 'local-dev-key', workspace: 'test/fixtures/workspaces/consent' });
    expect(out).toContain(`${written.apiUrl}/events`);
    expect(readdirSync(temp).filter((f) => f.startsWith('journeys-exports-'))).toHaveLength(1); // in use while it runs
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(temp).filter((f) => f.startsWith('journeys-exports-'))).toStrictEqual([]);
  }, 90_000);

  it('a runtime file left by a process that is gone is ignored', () => {
    const file = join(dir, 'stale.json');
    writeRuntimeFile({ pid: 2 ** 22 + 12345, apiUrl: 'http://127.0.0.1:1', mailUrl: '', apiKey: 'k', workspace: 'w' }, file);
    expect(readRuntimeFile(file)).toBeUndefined();
    writeRuntimeFile({ pid: process.pid, apiUrl: 'http://127.0.0.1:2', mailUrl: '', apiKey: 'k', workspace: 'w' }, file);
    expect(readRuntimeFile(file)?.apiUrl).toBe('http://127.0.0.1:2');
    removeRuntimeFile(process.pid, file);
    expect(existsSync(file)).toBe(false);
  });
});
