import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ExportSink } from '../functions/ports';

/** Locally, audience exports are files under a folder (.local/exports by default), written whole or not at all. */
export class FolderExportSink implements ExportSink {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async write(key: string, body: string): Promise<string> {
    const file = join(this.root, key);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, body);
    renameSync(`${file}.tmp`, file);
    return file;
  }

  async read(key: string): Promise<string> {
    return readFileSync(join(this.root, key), 'utf8');
  }

  async readRange(key: string, start: number, length: number): Promise<{ bytes: Uint8Array; size: number }> {
    const fd = openSync(join(this.root, key), 'r');
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
      const n = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, start) : 0;
      return { bytes: buffer.subarray(0, n), size };
    } finally {
      closeSync(fd);
    }
  }

  locate(prefix: string): string {
    return `${join(this.root, prefix)}/`;
  }
}
