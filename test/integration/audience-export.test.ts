import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAudiences } from '../../functions/domain/audiences';
import { runJobSlice } from '../../functions/domain/audience-jobs';
import { profileTable } from '../../functions/wiring/profile-table';
import { DynamoDbAudienceJobs, DynamoDbProfileScanner } from '../../functions/adapters/dynamodb-audience-jobs';
import { systemClock } from '../../functions/ports';
import { testPlatform } from '../platform';
import { FolderExportSink } from '../../local/folder-sink';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators';
import { LOCAL_TABLES, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually } from './helpers';
import { audienceJobSchema } from '../../functions/handlers/profile-api/schema';

const PROFILES = 10_000;
let runtime: LocalRuntime;
let doc: DynamoDBDocumentClient;

const isGold = (i: number) => i % 4 === 0;
const id = (i: number) => `p-${String(i).padStart(5, '0')}`;

beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/audiences', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, exportPageSize: 400, logLevel: 'SILENT' });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  // 10,000 profiles written straight to the table (as an import would), a quarter of them gold, with history
  // items in between and a few merged-away profiles that must not be exported.
  const items = Array.from({ length: PROFILES }, (_, i) => ({
    pk: `P#${id(i)}`,
    sk: 'PROFILE',
    id: id(i),
    attributes: { tier: isGold(i) ? 'gold' : 'silver', email: `${id(i)}@example.com` },
    attributeTimes: {},
    identities: [`userId:${id(i)}`],
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    version: 1,
  }));
  items.push(
    ...Array.from({ length: 500 }, (_, i) => ({ pk: `P#${id(i)}`, sk: `E#2026-11-0${1 + (i % 9)}T00:00:00.000Z#e-${i}`, id: `e-${i}`, type: 'x', timestamp: '2026-11-01T00:00:00.000Z', properties: {} }) as never),
    ...Array.from({ length: 20 }, (_, i) => ({ pk: `P#anonymous:gone-${i}`, sk: 'PROFILE', id: `anonymous:gone-${i}`, attributes: { tier: 'gold' }, attributeTimes: {}, mergedInto: id(0), mergeDone: true, createdAt: '', updatedAt: '', version: 2 }) as never),
  );
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let b = worker; b < batches.length; b += 8) {
        let requests: unknown[] | undefined = batches[b]!.map((Item) => ({ PutRequest: { Item } }));
        while (requests && requests.length > 0) {
          const out: { UnprocessedItems?: Record<string, unknown[]> } = await doc.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLES.profiles]: requests as never } }));
          requests = out.UnprocessedItems?.[LOCAL_TABLES.profiles];
        }
      }
    }),
  );
}, 120_000);
afterAll(async () => runtime?.stop());

const readExport = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
    .map((line) => JSON.parse(line) as { id: string; attributes: { tier: string } });

const expected = Array.from({ length: PROFILES }, (_, i) => i)
  .filter(isGold)
  .map(id);

describe('audience export (batch)', () => {
  it('exports an audience of 10,000 profiles through the API: paged JSON lines and a manifest, each member once', async () => {
    const api = (method: string, path: string) => fetch(`${runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${runtime.apiKey}` } });
    const started = await api('POST', '/audiences/vip/exports');
    expect(started.status).toBe(202);
    const { jobId } = (await started.json()) as { jobId: string };
    const job = await eventually(async () => {
      const r = await api('GET', `/audiences/vip/exports/${jobId}`);
      const body = (await r.json()) as { status: string; count: number; parts: string[]; location: string; pages: number };
      return body.status === 'done' && body;
    }, 120_000);
    expect(audienceJobSchema.safeParse(job).error).toBeUndefined();
    expect(job.count).toBe(expected.length);
    expect(job.pages).toBeGreaterThan(20); // 10,520 items in pages of 400: no page holds the whole audience
    const rows = readExport(job.location);
    expect(rows.map((r) => r.id).sort()).toStrictEqual(expected);
    expect(new Set(rows.map((r) => r.attributes.tier))).toStrictEqual(new Set(['gold']));
    const manifest = JSON.parse(readFileSync(join(job.location, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ audienceId: 'vip', count: expected.length, parts: job.parts });
    expect((await api('GET', '/audiences/nope/exports/x')).status).toBe(404);
    expect((await api('POST', '/audiences/nope/exports')).status).toBe(404);
  }, 180_000);

  it('resumes after a failure mid-way: the rerun slice rewrites its part, nothing is lost or doubled', async () => {
    const dir = join(runtime.exportsDir, 'resume-test');
    const folder = new FolderExportSink(dir);
    let writes = 0;
    // A sink that fails once, on the seventh part: the slice dies after some parts are written.
    const flaky = { locate: (p: string) => folder.locate(p), read: (k: string) => folder.read(k), readRange: (k: string, s: number, n: number) => folder.readRange(k, s, n), write: async (key: string, body: string) => ((writes += 1) === 7 ? Promise.reject(new Error('disk full')) : folder.write(key, body)) };
    const t = profileTable(testPlatform({ settings: { PROFILES_TABLE: LOCAL_TABLES.profiles }, endpoint: () => runtime.dynamoUrl }));
    const deps = {
      audiences: compileAudiences(runtime.workspace.audiences),
      scanner: new DynamoDbProfileScanner(t.doc, t.table),
      jobs: new DynamoDbAudienceJobs(t.doc, t.table),
      sink: flaky,
      profiles: t.profiles,
      events: t.events,
      bus: { publish: async () => undefined },
      clock: systemClock,
      pageSize: 300,
      pagesPerSlice: 4,
    };
    let failures = 0;
    let slices = 0;
    for (let done = false; !done; slices += 1) {
      try {
        done = (await runJobSlice({ kind: 'export', jobId: 'resume-1', audienceId: 'vip' }, deps)).done;
      } catch (error) {
        expect((error as Error).message).toBe('disk full');
        failures += 1;
      }
    }
    expect(failures).toBe(1);
    expect(slices).toBeGreaterThan(5);
    const job = (await deps.jobs.get('vip', 'resume-1'))!;
    expect(job.count).toBe(expected.length);
    expect(readExport(job.location!).map((r) => r.id).sort()).toStrictEqual(expected);
  }, 180_000);
});
