import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { buildJourney, renderDefinition, ASL_LIMITS } from '../statemachines';
import { createIngestHandler } from '../functions/handlers/ingest/app';
import { ingestSchemaFor } from '../functions/handlers/ingest/schema';
import { acceptDeps } from '../functions/wiring/ingest';
import { importFigures } from './imports';
import { BUNDLING, PROJECT_ROOT, bundleInject } from '../infra/constructs/journey-function';
import { loadWorkspace } from '../workspace/load';
import { FUNCTIONS } from '../functions/catalogue';
import { testPlatform } from '../test/platform';
import { startLocalRuntime } from '../local/runtime';
import { generatedJourney } from '../test/fixtures/journeys';
import { measure, round } from './measure';
import { audienceFigures } from './audiences';
import { campaignFigures } from './campaigns';
import { fanOutFigures } from './fan-out';
import { intelligenceFigures } from './intelligence';
import { decisionFigures } from './decisions';
import { deployFigures } from './deploy';
import { localIngestFigures } from './ingest';
import { costFigures } from './cost';

// `npm run bench`: figures as ratios against a baseline measured in the same run, written to bench/results.json.

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function compileFigures() {
  const figures: Record<string, unknown> = {};
  for (const steps of [50, 500]) {
    const journey = generatedJourney(steps);
    const text = JSON.stringify(journey);
    const options = { templates: new Map([['survey', 'email']]) };
    const baseline = await measure(() => JSON.stringify(JSON.parse(text)), { ops: steps === 50 ? 2000 : 200 });
    const compile = await measure(() => renderDefinition(buildJourney(JSON.parse(text), options).definition), { ops: steps === 50 ? 200 : 20 });
    const asl = renderDefinition(buildJourney(journey, options).definition);
    const bytes = Buffer.byteLength(asl);
    figures[`${steps}-steps`] = {
      validateAndCompileMs: round(compile.medianUs / 1000, 3),
      baselineParseStringifyMs: round(baseline.medianUs / 1000, 3),
      ratioToBaseline: round(compile.medianUs / baseline.medianUs, 1),
      states: Object.keys(JSON.parse(asl).States).length,
      aslBytes: bytes,
      aslShareOf1MBLimit: `${round((bytes / ASL_LIMITS.definitionBytes) * 100, 1)}%`,
    };
  }
  return figures;
}

async function ingestFigures() {
  // The API path alone (validate, record ids, enqueue), SDK clients mocked, next to the floor: JSON.parse and the
  // zod schema of the same batch.
  const ddb = mockClient(DynamoDBDocumentClient);
  const sqs = mockClient(SQSClient);
  ddb.onAnyCommand().resolves({});
  sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } });
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  const handler = createIngestHandler(acceptDeps(testPlatform({ settings: { PROFILES_TABLE: 't', EVENTS_QUEUE_URL: 'https://sqs.local/q.fifo' } }), silent));
  const figures: Record<string, unknown> = {};
  for (const batch of [10, 100]) {
    let n = 0;
    const body = () =>
      JSON.stringify({
        events: Array.from({ length: batch }, () => {
          n += 1;
          return { id: `evt-${n}`, type: 'order.delivered', profileId: `p-${n % 50}`, properties: { orderId: `A-${n}`, total: 42, items: [{ sku: 'SW-42', qty: 1 }] }, attributes: { email: `p${n % 50}@example.com`, tier: 'gold' } };
        }),
      });
    const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as never;
    const floor = await measure(() => {
      const parsed = JSON.parse(body());
      return ingestSchemaFor(parsed).parse(parsed);
    }, { ops: 5000 / batch });
    const full = await measure(() => handler({ headers: {}, routeKey: 'POST /events', body: body(), isBase64Encoded: false } as never, context), { ops: 2000 / batch });
    figures[`batch-${batch}`] = {
      handlerEventsPerSecond: Math.round(full.opsPerSecond * batch),
      floorJsonParseAndZodEventsPerSecond: Math.round(floor.opsPerSecond * batch),
      handlerShareOfFloor: round(full.opsPerSecond / floor.opsPerSecond, 3),
      goalShareOfFloor: 0.3,
    };
  }
  ddb.restore();
  sqs.restore();
  return { ...figures, note: 'aws-sdk-client-mock answers every call (the receipts\' conditional puts, SendMessageBatch): our code plus SDK middleware, without network' };
}

async function localFigures() {
  const runtime = await startLocalRuntime({ workspace: 'examples/store', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, logLevel: 'SILENT' });
  try {
    const roundTrip = await measure(async () => (await fetch(`${runtime.apiUrl}/`)).text(), { ops: 50 });
    const latencies: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const profile = `bench-${i}`;
      const start = performance.now();
      await fetch(`${runtime.apiUrl}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `bench-evt-${i}`, type: 'order.delivered', profileId: profile, attributes: { email: `${profile}@example.com`, firstName: 'B' }, properties: { orderId: `B-${i}` } }),
      });
      for (;;) {
        const store = (await (await fetch(`${runtime.mailUrl}/store`)).json()) as { emails: Array<{ destination: { to: string[] } }> };
        if (store.emails.some((m) => m.destination.to.includes(`${profile}@example.com`))) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(performance.now() - start);
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)]!;
    return {
      eventToEmailMedianMs: round(median, 1),
      eventToEmailMaxMs: round(latencies.at(-1)!, 1),
      baselineHttpRoundTripMs: round(roundTrip.medianUs / 1000, 2),
      ratioToRoundTrip: round(median / (roundTrip.medianUs / 1000), 1),
      samples: latencies.length,
    };
  } finally {
    await runtime.stop();
  }
}

/**
 * Each function's bundle as deployed (the runtime's AWS SDK left out), against the same bundle with the SDK
 * inlined (how they were built before), with the same esbuild settings. The largest modules say what is left.
 */
async function bundleFigures() {
  const workspace = loadWorkspace(join(PROJECT_ROOT, 'examples/store'));
  const sizes: Record<string, unknown> = {};
  const bundle = async (fn: (typeof FUNCTIONS)[keyof typeof FUNCTIONS], external: readonly string[]) => {
    const result = await build({
      entryPoints: [join(PROJECT_ROOT, 'functions/handlers', fn.name, 'handler.ts')],
      bundle: true,
      platform: 'node',
      write: false,
      metafile: true,
      minify: BUNDLING.minify,
      target: BUNDLING.target,
      format: 'esm',
      mainFields: [...BUNDLING.mainFields],
      external: [...external],
      banner: { js: BUNDLING.banner },
      // What the CDK app injects into the function: the workspace slices it declares.
      inject: bundleInject(fn, workspace),
      logLevel: 'silent',
    });
    const code = result.outputFiles![0]!.contents;
    const byPackage = new Map<string, number>();
    for (const [file, input] of Object.entries(Object.values(result.metafile!.outputs)[0]!.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 2).join('/');
      byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
    }
    const largest = [...byPackage].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([name, bytes]) => `${name} ${round(bytes / 1024, 1)}`);
    return { kib: round(code.length / 1024, 1), gzipKib: round(gzipSync(code).length / 1024, 1), largest };
  };
  for (const fn of Object.values(FUNCTIONS)) {
    const deployed = await bundle(fn, BUNDLING.externalModules);
    const withSdk = await bundle(fn, []);
    sizes[fn.name] = { ...deployed, withSdkKib: withSdk.kib, ratio: round(deployed.kib / withSdk.kib, 3) };
  }
  return sizes;
}

// `npm run bench` runs every section; `npm run bench -- bundles compile` only those, kept with the others'
// last figures in results.json.
const SECTIONS: Record<string, () => Promise<unknown>> = {
  compile: compileFigures,
  ingest: ingestFigures,
  'ingest-local': localIngestFigures,
  audiences: audienceFigures,
  local: localFigures,
  decisions: decisionFigures,
  cost: costFigures,
  // Last but one: the SES emulator keeps every email it captured in its module, so what runs after it reads a big store.
  campaigns: campaignFigures,
  'fan-out': fanOutFigures,
  intelligence: intelligenceFigures,
  imports: importFigures,
  bundles: bundleFigures,
  deploy: deployFigures,
};
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of only) if (!Object.hasOwn(SECTIONS, name)) throw new Error(`no bench section "${name}"; sections: ${Object.keys(SECTIONS).join(', ')}`);
const file = join(PROJECT_ROOT, 'bench/results.json');
const results: Record<string, unknown> = only.length > 0 && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
results.when = new Date().toISOString();
results.node = process.version;
for (const [name, run] of Object.entries(SECTIONS)) if (only.length === 0 || only.includes(name)) results[name] = await run();
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(only.length > 0 ? Object.fromEntries(only.map((n) => [n, results[n]])) : results, null, 2));
