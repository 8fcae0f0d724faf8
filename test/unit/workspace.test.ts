import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace, WorkspaceError } from '../../workspace/load';

function workspaceOf(journeys: Record<string, unknown>, templates: Record<string, unknown> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'ws-'));
  mkdirSync(join(root, 'journeys'));
  mkdirSync(join(root, 'templates'));
  for (const [name, body] of Object.entries(journeys)) writeFileSync(join(root, 'journeys', `${name}.json`), JSON.stringify(body));
  for (const [name, body] of Object.entries(templates)) writeFileSync(join(root, 'templates', `${name}.json`), JSON.stringify(body));
  return root;
}
const issuesOf = (root: string) => {
  try {
    loadWorkspace(root);
    return [];
  } catch (error) {
    return (error as WorkspaceError).issues.map((i) => `${i.file} ${i.path} ${i.code}`);
  }
};
const journey = (id: string, steps: Record<string, unknown>) => ({ id, name: id, entry: { event: 'x' }, start: Object.keys(steps)[0], steps });

describe('workspace', () => {
  it('refuses a jump to a journey it does not hold', () => {
    const root = workspaceOf({ a: journey('a', { go: { type: 'jump', journey: 'c' } }), c: journey('c', { go: { type: 'jump', journey: 'nowhere' } }) });
    expect(issuesOf(root)).toStrictEqual(['journeys/c.json $.steps.go.journey unknown-journey']);
  });

  it('refuses two journeys with one id, a template that does not parse, and a file that is not JSON', () => {
    const root = workspaceOf({ a: journey('same', { done: { type: 'end' } }), b: journey('same', { done: { type: 'end' } }) }, { t: { channel: 'email', subject: '{{#if x}}', text: 'y' } });
    writeFileSync(join(root, 'journeys', 'z.json'), '{ not json');
    expect(issuesOf(root)).toStrictEqual(['templates/t.json $.subject template-syntax', 'journeys/b.json $.id duplicate-id', 'journeys/z.json $ invalid-json']);
  });
});
