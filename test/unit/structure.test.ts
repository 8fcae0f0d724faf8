import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The structure the code keeps: the layers and no import loops (.dependency-cruiser.cjs), small files.

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = ['statemachines', 'functions', 'infra', 'local', 'workspace', 'cli', 'scripts', 'bench'];

describe('structure', () => {
  it('keeps the layers and has no import loop, type-only imports included (dependency-cruiser)', () => {
    const bin = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
    let output = '';
    try {
      output = execFileSync(process.execPath, [bin, ...SOURCES, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: ROOT, encoding: 'utf8' });
    } catch (error) {
      output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    }
    expect(output).toMatch(/no dependency violations found \(\d+ modules/);
  }, 60_000);

  it('has no source file over 400 lines outside the tests', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...SOURCES.map((s) => `${s}/*.ts`), ...SOURCES.map((s) => `${s}/**/*.ts`)], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    const long = [...new Set(files)].map((f) => [f, readFileSync(join(ROOT, f), 'utf8').split('\n').length] as const).filter(([, n]) => n > 400);
    expect(files.length).toBeGreaterThan(100);
    expect(long).toStrictEqual([]);
  });
});
