import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

  locate(prefix: string): string {
    return `${join(this.root, prefix)}/`;
  }
}
