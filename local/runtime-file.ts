import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// Where a running `npm start` says it listens (its ports may be flags or free ones), so `jo report` and
// `npm run demo` find it without flags. Removed when it stops; a file left by a killed one is ignored.

export const RUNTIME_FILE = resolve(process.env.JO_RUNTIME_FILE ?? '.local/runtime.json');

export interface RuntimeAddress {
  pid: number;
  apiUrl: string;
  mailUrl: string;
  apiKey: string;
  workspace: string;
}

export function writeRuntimeFile(address: RuntimeAddress, file = RUNTIME_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(address, null, 2)}\n`);
}

export function removeRuntimeFile(pid: number, file = RUNTIME_FILE): void {
  if (readRuntimeFile(file)?.pid === pid) rmSync(file, { force: true });
}

/** The running npm start's address, or undefined (no file, or its process is gone). */
export function readRuntimeFile(file = RUNTIME_FILE): RuntimeAddress | undefined {
  let address: RuntimeAddress;
  try {
    address = JSON.parse(readFileSync(file, 'utf8')) as RuntimeAddress;
  } catch {
    return undefined;
  }
  try {
    process.kill(address.pid, 0); // signal 0: is it alive?
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  return address;
}
