import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, TASK_FUNCTIONS } from '../../functions/catalogue';
import { scoped } from '../../functions/platform';
import { ROUTES } from '../../functions/handlers/routes';
import { OPERATION_DOCS } from '../../functions/handlers/routes-doc';
import { testPlatform } from '../platform';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the function catalogue', () => {
  it.each(Object.entries(FUNCTIONS))('%s builds from the settings it declares, reading no other', (_key, def) => {
    const settings = Object.fromEntries([...def.settings, ...(def.optional ?? [])].map((name) => [name, `value-of-${name}`]));
    const handler = def.create(scoped(testPlatform({ settings }), def));
    expect(typeof handler).toBe('function');
    expect(existsSync(join(ROOT, 'functions', 'handlers', def.name, 'handler.ts'))).toBe(true);
  });

  it('refuses a setting or slice a function did not declare', () => {
    const platform = scoped(testPlatform(), { name: 'nothing', settings: [], slices: [] });
    expect(() => platform.setting('PROFILES_TABLE')).toThrow('nothing reads the setting PROFILES_TABLE, which its function.ts does not declare');
    expect(() => platform.workspace('templates')).toThrow('nothing reads the workspace slice templates');
  });

  it('names a function of the catalogue for every task placeholder and every route; documents every operation once', () => {
    for (const key of Object.values(TASK_FUNCTIONS)) expect(FUNCTIONS).toHaveProperty(key);
    for (const route of ROUTES) expect(FUNCTIONS).toHaveProperty(route.fn);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
    expect(Object.keys(OPERATION_DOCS).sort()).toStrictEqual(ROUTES.map((r) => r.operationId).sort());
  });

  it('counts the journey executions that end failed or timed out (one alarm watches them all)', () => {
    const metrics = FUNCTIONS.runs.metrics!;
    expect(metrics({ kind: 'ended', count: 1, status: 'FAILED' })).toStrictEqual({ 'executions.failed': 1 });
    expect(metrics({ kind: 'ended', count: 1, status: 'TIMED_OUT' })).toStrictEqual({ 'executions.failed': 1 });
    expect(metrics({ kind: 'ended', count: 1, status: 'SUCCEEDED' })).toStrictEqual({});
    expect(metrics({ kind: 'exit', count: 2 })).toStrictEqual({});
  });
});
