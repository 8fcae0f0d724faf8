import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
