import { performance } from 'node:perf_hooks';
import { EMBEDDED, startLocalRuntime } from '../local/runtime';
import { countCalls, measure, readsAndWrites, round } from './measure';

// The local ingest path (issue 16), in two parts:
// - the API alone (the consumer off): the highest sustained rate of POST /events, one event a request, at which
//   the p99 answer stays under 200 ms with no error, against a plain HTTP round trip of the same server;
// - the consumer: how fast the queued events are applied, and the DynamoDB requests per applied event.

const LIMITS_OFF = { maxDepth: 1e9, maxAgeSeconds: 1e9 };

async function openLoop(url: string, key: string, rate: number, seconds: number, prefix: string) {
  const latencies: number[] = [];
  let errors = 0;
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  const total = rate * seconds;
  for (let i = 0; i < total; i += 1) {
    // Open loop: requests leave on schedule whether or not earlier ones were answered.
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    pending.push(
      fetch(`${url}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `${prefix}-${i}`, type: 'page.viewed', profileId: `${prefix}-p${i % 500}`, attributes: { plan: 'free' }, properties: { path: `/p/${i}` } }),
      }).then(
        async (r) => {
          await r.arrayBuffer();
          if (r.status !== 202) errors += 1;
          latencies.push(performance.now() - sent);
        },
        () => void (errors += 1),
      ),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!, 1);
  return { rate, requests: total, errors, p50Ms: at(0.5), p99Ms: at(0.99) };
}

export async function localIngestFigures() {
  // 1. The API path alone.
  const api = await startLocalRuntime({ ...EMBEDDED, workspace: 'examples/store', consume: false, ingestLimits: LIMITS_OFF });
  const steps: Array<Awaited<ReturnType<typeof openLoop>>> = [];
  let roundTripMs: number;
  try {
    roundTripMs = round((await measure(async () => (await fetch(`${api.apiUrl}/`)).text(), { ops: 50 })).medianUs / 1000, 2);
    for (const rate of [100, 200, 400, 800]) {
      const step = await openLoop(api.apiUrl, api.apiKey, rate, 5, `api-${rate}`);
      steps.push(step);
      if (step.errors > 0 || step.p99Ms >= 200) break;
    }
  } finally {
    await api.stop();
  }
  const sustained = steps.filter((s) => s.errors === 0 && s.p99Ms < 200).at(-1);

  // 2. The consumer: 2,000 events queued in batches of 100, applied in order per profile (500 profiles).
  const calls = new Map<string, number>();
  const consumer = await startLocalRuntime({
    ...EMBEDDED,
    workspace: 'examples/store',
    ingestLimits: LIMITS_OFF,
    instrument: ({ dynamodb }) => countCalls(dynamodb, calls),
  });
  const events = 2000;
  let applySeconds: number;
  try {
    const start = performance.now();
    for (let b = 0; b < events / 100; b += 1) {
      const batch = Array.from({ length: 100 }, (_, j) => {
        const i = b * 100 + j;
        return { id: `apply-${i}`, type: 'page.viewed', profileId: `apply-p${i % 500}`, attributes: { plan: i % 2 ? 'free' : 'pro', visits: i }, properties: { path: `/p/${i}` } };
      });
      const r = await fetch(`${consumer.apiUrl}/events`, { method: 'POST', headers: { authorization: `Bearer ${consumer.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: batch }) });
      if (r.status !== 202) throw new Error(`the batch was answered ${r.status}`);
    }
    await consumer.queue.idle();
    applySeconds = (performance.now() - start) / 1000;
  } finally {
    await consumer.stop();
  }
  const { reads, writes } = readsAndWrites(calls);
  return {
    apiAlone: {
      sustainedEventsPerSecond: sustained?.rate ?? 0,
      goalEventsPerSecond: 200,
      steps,
      baselineHttpRoundTripMs: roundTripMs,
      note: 'open loop, one event a POST, 5 s a step, consumer off: the API validates, records the id (a conditional write to dynalite) and appends to the queue journal',
    },
    consumer: {
      events,
      profiles: 500,
      appliedEventsPerSecond: Math.round(events / applySeconds),
      dynamodbReadsPerEvent: round(reads / events, 2),
      dynamodbWritesPerEvent: round(writes / events, 2),
      calls: Object.fromEntries([...calls].sort((a, b) => b[1] - a[1])),
      note: 'page.viewed with attributes (no journey starts from it): receipt, stitching, profile merge, history, audiences, bus; the API\'s receipt write counted in',
    },
  };
}
