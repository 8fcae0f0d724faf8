import type { AudienceJob, ExportSink } from '../ports';
import type { TrackedEvent } from './events';

// A bulk profile import on AWS: a JSON-lines or CSV-less file in the exports bucket (under imports/), read a
// page of bytes at a time from the job's saved offset, each line a profile (the format of profiles.jsonl and
// POST /profiles/import). Lines become `profile.imported` events (ids hashed from the line) accepted onto the
// ingest queue as the API accepts them, so a slice run again, or a whole file imported again, changes nothing.
// Refused lines go to imports/<job>/errors-<page>.jsonl with their line numbers.

/** The jobs of imports share a key no audience id can take. */
export const IMPORTS = '*imports';
/** Bytes read a page: a few hundred profiles. */
export const IMPORT_PAGE_BYTES = 256 * 1024;

export interface ImportDeps {
  sink: ExportSink;
  /** The lines as events, or why each refused line is refused (the ingest path's schema). */
  toEvents(lines: ReadonlyArray<{ line: number; text: string }>): { events: TrackedEvent[]; errors: Array<{ line: number; message: string }> };
  accept(events: readonly TrackedEvent[]): Promise<{ accepted: string[]; duplicates: string[] }>;
  /** Bytes a page (IMPORT_PAGE_BYTES). */
  pageBytes?: number;
}

/** One page of an import: the complete lines from the saved offset; the job advanced past them. */
export async function importPage(job: AudienceJob, deps: ImportDeps): Promise<AudienceJob> {
  const offset = job.offset ?? 0;
  const pageBytes = deps.pageBytes ?? IMPORT_PAGE_BYTES;
  const { bytes: read0, size } = await deps.sink.readRange(job.source!, offset, pageBytes);
  const bytes = Buffer.from(read0);
  const end = offset + bytes.length >= size ? bytes.length : bytes.lastIndexOf(0x0a) + 1;
  if (end === 0) throw new Error(`line ${(job.lines ?? 0) + 1} of ${job.source} is longer than ${pageBytes} bytes`);
  const chunk = bytes.subarray(0, end).toString('utf8');
  const first = job.lines ?? 0;
  const texts = chunk.split('\n');
  // A page ends on a newline (but the file's last): the empty text after it is no line.
  const read = chunk.endsWith('\n') ? texts.length - 1 : texts.length;
  const lines = texts.map((t, i) => ({ line: first + i + 1, text: t })).filter((l) => l.text.trim() !== '');
  const { events, errors } = deps.toEvents(lines);
  const { accepted, duplicates } = events.length > 0 ? await deps.accept(events) : { accepted: [], duplicates: [] };
  const next: AudienceJob = { ...job, offset: offset + end, lines: first + read, count: job.count + accepted.length, duplicates: (job.duplicates ?? 0) + duplicates.length, errors: (job.errors ?? 0) + errors.length };
  if (errors.length > 0) {
    const name = `errors-${String(job.pages + 1).padStart(5, '0')}.jsonl`;
    await deps.sink.write(`imports/${job.jobId}/${name}`, `${errors.map((e) => JSON.stringify(e)).join('\n')}\n`);
    next.parts = [...job.parts, name];
  }
  if (offset + end >= size) next.status = 'done';
  return next;
}
