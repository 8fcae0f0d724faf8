import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { importPinpoint, type ExportFile } from '../migrate/pinpoint';
import { MAX_IMPORT_BATCH, checkProfileLine, readProfileLine } from '../functions/handlers/ingest/profile-import';
import { loadWorkspace, WorkspaceError } from '../workspace/load';

// jo import pinpoint <dir> --out <workspace>: what the AWS CLI printed for Pinpoint, as a workspace (journeys,
// campaigns, audiences, templates, rules.json), profiles.jsonl and migration-report.md; validated at once.
// jo import profiles <file>: JSON lines (profiles.jsonl) or CSV, sent to the API in batches of 100.

const SCHEMA_DIR = resolve(import.meta.dirname, '..', 'docs', 'schema');

function filesUnder(root: string, dir = root): ExportFile[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return filesUnder(root, path);
      return /\.(json|jsonl|ndjson)$/.test(name) ? [{ path: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }] : [];
    });
}

export interface PinpointImportSummary {
  written: number;
  changed: number;
  attention: number;
  profiles: number;
  problems: string[];
}

/** `now`: when the import runs (a Pinpoint start before it is past); the clock's by default. */
export function importPinpointCommand(dir: string, out: string, options: { now?: Date } = {}): PinpointImportSummary {
  if (!existsSync(dir)) throw new Error(`no folder ${dir}`);
  const result = importPinpoint(filesUnder(resolve(dir)), { schemaRoot: relative(resolve(out), SCHEMA_DIR).split('\\').join('/'), ...(options.now ? { now: options.now } : {}) });
  let changed = 0;
  mkdirSync(join(out, 'journeys'), { recursive: true });
  for (const [path, text] of Object.entries(result.files)) {
    const file = join(out, path);
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
    writeFileSync(file, text);
    changed += 1;
  }
  let problems: string[] = [];
  try {
    loadWorkspace(resolve(out));
  } catch (error) {
    if (!(error instanceof WorkspaceError)) throw error;
    problems = error.issues.map((i) => `${i.file} ${i.path}: ${i.code}: ${i.message}`);
  }
  return { written: Object.keys(result.files).length, changed, attention: result.log.attention.length, profiles: result.profiles.length, problems };
}

export interface LineError {
  line: number;
  message: string;
}

/** The profile lines of a file: JSON lines, or CSV with a header (id or anonymousId, email, phone, attributes); each checked. */
export function readProfileLines(file: string): { lines: Array<{ line: number; value: unknown }>; errors: LineError[]; total: number } {
  const text = readFileSync(file, 'utf8');
  const errors: LineError[] = [];
  const lines: Array<{ line: number; value: unknown }> = [];
  if (/\.csv$/i.test(file)) {
    const rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true, info: true }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
    for (const { record, info } of rows) {
      const { id, anonymousId, ...rest } = record;
      const attributes = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
      const identities = Object.fromEntries((['email', 'phone'] as const).filter((k) => attributes[k]).map((k) => [k, attributes[k]!]));
      const value = { ...(id ? { id } : {}), ...(anonymousId ? { anonymousId } : {}), attributes, ...(Object.keys(identities).length ? { identities } : {}) };
      const checked = checkProfileLine(value);
      if ('profile' in checked) lines.push({ line: info.lines, value });
      else errors.push({ line: info.lines, message: checked.message });
    }
    return { lines, errors, total: rows.length };
  }
  let total = 0;
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    total += 1;
    const read = readProfileLine(raw);
    if ('profile' in read) lines.push({ line: i + 1, value: read.value });
    else errors.push({ line: i + 1, message: read.message });
  });
  return { lines, errors, total };
}

export interface ProfileImportReport {
  file: string;
  lines: number;
  accepted: number;
  duplicates: number;
  errors: LineError[];
}

/** Sends a file's profiles to the API (POST /profiles/import), a few batches at a time; bad lines reported, the rest imported. */
export async function importProfilesCommand(o: { file: string; api: string; key: string; startJourneys?: boolean; concurrency?: number }): Promise<ProfileImportReport> {
  const { lines: valid, errors, total } = readProfileLines(o.file);
  const batches: Array<typeof valid> = [];
  for (let i = 0; i < valid.length; i += MAX_IMPORT_BATCH) batches.push(valid.slice(i, i + MAX_IMPORT_BATCH));
  let accepted = 0;
  let duplicates = 0;
  const send = async (batch: typeof valid): Promise<void> => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(`${o.api}/profiles/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ profiles: batch.map((b) => b.value), ...(o.startJourneys ? { startJourneys: true } : {}) }),
      });
      // Overloaded: the API says when to come back.
      if (response.status === 503 && attempt < 10) {
        await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      const body = (await response.json()) as { accepted?: string[]; duplicates?: string[]; issues?: Array<{ path: string; message: string }>; message?: string };
      if (response.status === 202) {
        accepted += body.accepted?.length ?? 0;
        duplicates += body.duplicates?.length ?? 0;
        return;
      }
      // A line the API refused (attributes.json, a storable value): named by its line in the file.
      for (const issue of body.issues ?? [{ path: '', message: body.message ?? `HTTP ${response.status}` }]) {
        const at = /^profiles\[(\d+)\]\.?(.*)$/.exec(issue.path);
        errors.push({ line: at ? batch[Number(at[1])]!.line : batch[0]!.line, message: `${at?.[2] ?? issue.path}: ${issue.message}` });
      }
      return;
    }
  };
  const queue = [...batches];
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 4, queue.length) }, async () => {
    for (let b = queue.shift(); b; b = queue.shift()) await send(b);
  }));
  errors.sort((a, b) => a.line - b.line);
  return { file: o.file, lines: total, accepted, duplicates, errors };
}
