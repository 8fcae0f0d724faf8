import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A file of this content for synth to read (an esbuild inject, a state machine definition asset), named by its
 * content so the same content is the same file, and the same asset.
 */
export function contentFile(folder: string, extension: string, content: string): string {
  const dir = join(tmpdir(), folder);
  const file = join(dir, `${createHash('sha256').update(content).digest('hex').slice(0, 24)}${extension}`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, content);
  }
  return file;
}
