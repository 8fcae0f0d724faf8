import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPage } from '../../functions/domain/import-jobs';
import type { AudienceJob } from '../../functions/ports';
import type { TrackedEvent } from '../../functions/domain/events';
import { importLinesAsEvents } from '../../functions/handlers/ingest/profile-import';
import { FolderExportSink } from '../../local/folder-sink';

// An import job reads its file a page of bytes at a time: pages end on a line, a character cut by a page is
// read whole on the next one, refused lines are reported by number, and accepted events keep their ids.

describe('import job pages', () => {
  it('read every line once, in pages that end on a line, with unicode cut across pages', async () => {
    const root = mkdtempSync(join(tmpdir(), 'imports-'));
    mkdirSync(join(root, 'imports'));
    const lines = Array.from({ length: 30 }, (_, i) => (i === 7 ? '{ broken' : i === 12 ? '{"attributes":{}}' : JSON.stringify({ id: `p-${i}`, attributes: { firstName: `Zoë-李雷-${i}`, city: 'Zürich' } })));
    writeFileSync(join(root, 'imports/people.jsonl'), `${lines.join('\n')}\n`);
    const sink = new FolderExportSink(root);
    const accepted: TrackedEvent[] = [];
    let job: AudienceJob = { kind: 'import', jobId: 'j1', audienceId: '*imports', status: 'running', pages: 0, count: 0, parts: [], startedAt: '', at: '', source: 'imports/people.jsonl', offset: 0, lines: 0 };
    for (let n = 0; job.status === 'running'; n += 1) {
      job = { ...(await importPage(job, { sink, pageBytes: 150, toEvents: (l) => importLinesAsEvents(l, '2026-11-30T00:00:00.000Z'), accept: async (events) => (accepted.push(...events), { accepted: events.map((e) => e.id), duplicates: [] }) })), pages: job.pages + 1 };
      expect(n).toBeLessThan(100);
    }
    expect(job.pages).toBeGreaterThan(10);
    expect(job).toMatchObject({ lines: 30, count: 28, errors: 2 });
    expect(accepted.map((e) => e.profileId)).toStrictEqual(lines.flatMap((_, i) => (i === 7 || i === 12 ? [] : [`p-${i}`])));
    expect(accepted.every((e) => (e.attributes as { firstName: string }).firstName.startsWith('Zoë-李雷-'))).toBe(true);
    const errors = job.parts.flatMap((p) => readFileSync(join(root, 'imports/j1', p), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; message: string }));
    expect(errors.map((e) => e.line)).toStrictEqual([8, 13]);
    expect(errors[1]!.message).toContain('give id (a known person) or anonymousId');
  });
});
