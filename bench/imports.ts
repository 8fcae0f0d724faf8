import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { EndpointResponse } from '@aws-sdk/client-pinpoint';
import { importPinpoint } from '../migrate/pinpoint';
import { importProfilesCommand } from '../cli/import';
import { EMBEDDED, LOCAL_TABLES, startLocalRuntime } from '../local/runtime';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/emulators';
import { countCalls, readsAndWrites, round } from './measure';

// Leaving Pinpoint at volume: an endpoint export (BENCH_IMPORT_ENDPOINTS, 100,000 by default) mapped to
// profiles (jo import pinpoint), then loaded into the local runtime (jo import profiles: the ingest path,
// stitching, history, audiences), next to writing the same profiles with BatchWriteItem into the same emulator
// (no stitching, no history, no audiences: the floor).

const LIMITS_OFF = { maxDepth: 1e9, maxAgeSeconds: 1e9 };

function endpoints(n: number): EndpointResponse[] {
  const out: EndpointResponse[] = [];
  // Three endpoints in five are a user's second (SMS): 100,000 endpoints are 62,500 users.
  for (let i = 0; out.length < n; i += 1) {
    const user = { UserId: `bench-user-${i}`, UserAttributes: { FirstName: [`Name${i}`], Plan: [i % 3 ? 'free' : 'premium'] } };
    out.push({ Id: `e-${i}`, ChannelType: 'EMAIL', Address: `user${i}@example.com`, EndpointStatus: 'ACTIVE', OptOut: i % 50 === 0 ? 'ALL' : 'NONE', User: user, Demographic: { Timezone: 'Europe/Paris', Locale: 'fr_FR' }, Metrics: { purchases: i % 7 } });
    if (out.length < n && i % 5 < 3) out.push({ Id: `s-${i}`, ChannelType: 'SMS', Address: `+3361${String(i).padStart(7, '0')}`, EndpointStatus: 'ACTIVE', OptOut: 'NONE', User: user });
  }
  return out;
}

export async function importFigures() {
  const n = Number(process.env.BENCH_IMPORT_ENDPOINTS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const text = `${endpoints(n).map((e) => JSON.stringify(e)).join('\n')}\n`;
    const mapStart = performance.now();
    const { profiles } = importPinpoint([{ path: 'endpoints/export.jsonl', text }]);
    const mapSeconds = (performance.now() - mapStart) / 1000;
    const file = join(dir, 'profiles.jsonl');
    writeFileSync(file, `${profiles.map((p) => JSON.stringify(p)).join('\n')}\n`);

    const calls = new Map<string, number>();
    const runtime = await startLocalRuntime({ ...EMBEDDED, workspace: 'examples/store', ingestLimits: LIMITS_OFF, instrument: ({ dynamodb }) => countCalls(dynamodb, calls) });
    let loadSeconds: number;
    let batchSeconds: number;
    let report: Awaited<ReturnType<typeof importProfilesCommand>>;
    try {
      const start = performance.now();
      report = await importProfilesCommand({ file, api: runtime.apiUrl, key: runtime.apiKey, concurrency: 4 });
      await runtime.queue.idle();
      loadSeconds = (performance.now() - start) / 1000;

      // The floor: the same profiles as items, 25 a BatchWriteItem, 4 in flight, into the same dynalite.
      const client = new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const items = profiles.map((p) => marshall({ pk: `BENCH#${p.id ?? p.anonymousId}`, sk: 'PROFILE', attributes: p.attributes, identities: p.identities ?? {} }, { removeUndefinedValues: true }));
      const batches: Array<typeof items> = [];
      for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
      const batchStart = performance.now();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let b = batches.shift(); b; b = batches.shift()) {
            let pending: typeof b | undefined = b;
            while (pending?.length) {
              const r = await client.send(new BatchWriteItemCommand({ RequestItems: { [LOCAL_TABLES.profiles]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
              pending = r.UnprocessedItems?.[LOCAL_TABLES.profiles]?.map((w) => w.PutRequest!.Item!) as typeof b | undefined;
            }
          }
        }),
      );
      batchSeconds = (performance.now() - batchStart) / 1000;
      client.destroy();
    } finally {
      await runtime.stop();
    }
    const { reads, writes } = readsAndWrites(calls);
    const profilesPerSecond = Math.round(profiles.length / loadSeconds);
    const batchPerSecond = Math.round(profiles.length / batchSeconds);
    return {
      endpoints: n,
      profiles: profiles.length,
      refused: report.errors.length,
      mapping: { seconds: round(mapSeconds, 2), endpointsPerSecond: Math.round(n / mapSeconds) },
      localImport: { seconds: round(loadSeconds, 1), profilesPerSecond, dynamodbReadsPerProfile: round(reads / profiles.length, 2), dynamodbWritesPerProfile: round(writes / profiles.length, 2) },
      batchWriteItem: { seconds: round(batchSeconds, 1), profilesPerSecond: batchPerSecond },
      ratio: round(profilesPerSecond / batchPerSecond, 3),
      note: 'jo import profiles: 100 profiles a POST /profiles/import, 4 in flight, until the queue consumer applied them (receipt, stitching, profile, history, audiences; no bus). BatchWriteItem: the same profiles as items, 25 a request, 4 in flight, nothing else.',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
