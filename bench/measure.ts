import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';

export interface Timing {
  /** Median time of one operation, in microseconds. */
  medianUs: number;
  opsPerSecond: number;
  samples: number;
}

/** Runs `fn` for warm-up, then in rounds, and reports the median round's per-operation time. */
export async function measure(fn: () => unknown | Promise<unknown>, options: { ops?: number; rounds?: number; warmup?: number } = {}): Promise<Timing> {
  const ops = options.ops ?? 100;
  const rounds = options.rounds ?? 7;
  for (let i = 0; i < (options.warmup ?? ops); i += 1) await fn();
  const perOp: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = performance.now();
    for (let i = 0; i < ops; i += 1) await fn();
    perOp.push(((performance.now() - start) * 1000) / ops);
  }
  perOp.sort((a, b) => a - b);
  const medianUs = perOp[Math.floor(perOp.length / 2)]!;
  return { medianUs: round(medianUs), opsPerSecond: Math.round(1e6 / medianUs), samples: ops * rounds };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Counts an SDK client's requests by command name (the benchmarks' AWS cost figures come from these). */
/** The DynamoDB requests counted by countCalls, as reads and writes. */
export function readsAndWrites(calls: ReadonlyMap<string, number>): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  for (const [name, n] of calls) {
    if (/Get|Query|Scan/.test(name)) reads += n;
    else if (/Put|Update|Delete|Transact|BatchWrite/.test(name)) writes += n;
  }
  return { reads, writes };
}

export function countCalls(client: { middlewareStack: DynamoDBClient['middlewareStack'] }, counts: Map<string, number>) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCount' },
  );
}

/** Writes up to 25 items in one BatchWriteItem, again for what comes back unprocessed. */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]): Promise<void> {
  let requests: unknown[] | undefined = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests && requests.length > 0) {
    const out: { UnprocessedItems?: Record<string, unknown[]> } = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests as never } }));
    requests = out.UnprocessedItems?.[table];
  }
}

/** Polls a campaign run until it is neither preparing nor running; its report then. */
export async function runFinished<R extends { status: string }>(runtime: { apiUrl: string; apiKey: string }, campaign: string, runId: string): Promise<R> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const report = (await (await fetch(`${runtime.apiUrl}/campaigns/${campaign}/runs/${runId}`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as R;
    if (report.status !== 'running' && report.status !== 'preparing') return report;
  }
}
