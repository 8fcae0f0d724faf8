import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_TABLES, EMBEDDED, startLocalRuntime } from '../local/runtime';
import { batchWrite, countCalls, round, runFinished } from './measure';
import { PRICES } from '../cli/prices';

// A campaign run over a large audience, locally: profiles fanned out per second against a baseline (writing
// the same profiles into the same emulator), and the AWS cost of a 1,000,000-profile run computed from the
// requests this run made (counted at the SDK clients and from the executions' states), at us-east-1 prices.


export async function campaignFigures(profiles = Number(process.env.BENCH_CAMPAIGN_PROFILES ?? 100_000)) {
  const calls = new Map<string, number>();
  const runtime = await startLocalRuntime({
    ...EMBEDDED,
    workspace: 'test/fixtures/workspaces/campaigns',
    instrument: ({ dynamodb, ses }) => {
      countCalls(dynamodb, calls);
      countCalls(ses as never, calls);
    },
  });
  try {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('../local/emulators');
    const writer = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    // Baseline: the same profiles written into the same emulator (BatchWrite, 8 writers).
    const seedStart = performance.now();
    const item = (i: number) => ({ pk: `P#b-${i}`, sk: 'PROFILE', id: `b-${i}`, attributes: { email: `b-${i}@example.com`, firstName: 'B', optedIn: true }, attributeTimes: {}, identities: [`userId:b-${i}`], createdAt: '', updatedAt: '', version: 1 });
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let start = w * 25; start < profiles; start += 8 * 25) {
          await batchWrite(writer, LOCAL_TABLES.profiles, Array.from({ length: Math.min(25, profiles - start) }, (_, k) => item(start + k)));
        }
      }),
    );
    const seedMs = performance.now() - seedStart;

    calls.clear();
    const start = performance.now();
    const response = await fetch(`${runtime.apiUrl}/campaigns/bench-blast/trigger`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: '{}' });
    const { runId } = (await response.json()) as { runId: string };
    const report = await runFinished<{ status: string; sent: number; targeted: number }>(runtime, 'bench-blast', runId);
    const runMs = performance.now() - start;
    const execution = [...runtime.stepFunctions.executions.values()].find((e) => e.name === runId)!;
    // A send whose outcome the emulator left unknown (a timeout under this load) is recorded failed, never resent.
    const { failed } = report as unknown as { failed: number };
    if (report.sent + failed !== profiles) throw new Error(`sent ${report.sent} of ${profiles}: ${JSON.stringify(report)} ${execution.states.slice(-8).join(' ')} ${JSON.stringify((execution.output as { held?: unknown } | undefined)?.held ?? execution.error)?.slice(0, 800)}`);
    const states = execution.states;
    const batches = states.filter((s) => s === 'Batch').length;
    const outerTransitions = states.length - batches;
    const lambdaCalls = states.filter((s) => ['Prepare', 'NextSlot', 'Held', 'Finish', 'Batch'].includes(s)).length;

    // Per profile, what this run asked of each service; then a million profiles at list prices.
    const per = (n: number) => n / profiles;
    const dynamoReads = ['GetItemCommand', 'QueryCommand', 'ScanCommand'].reduce((n, c) => n + (calls.get(c) ?? 0), 0);
    const dynamoWrites = ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].reduce((n, c) => n + (calls.get(c) ?? 0), 0);
    const emails = calls.get('SendEmailCommand') ?? 0;
    const million = 1_000_000;
    const partsPerMillion = (batches / profiles) * million;
    // A batch lasts as long as its pace: members / (rate / concurrency). At 10,000/s in 50 batches, 200/s each.
    const batchSeconds = (500 / 200) * partsPerMillion;
    const cost = {
      ses: million * per(emails) * PRICES.sesPerEmail,
      dynamodbWrites: (million * per(dynamoWrites) * PRICES.dynamoWritePerMillion) / 1e6,
      // Scan pages read about 1 MB a call; the gets are one unit each (profiles under 4 KB).
      dynamodbReads: (million * per(dynamoReads) * PRICES.dynamoReadPerMillion) / 1e6,
      lambda: ((lambdaCalls / profiles) * million * PRICES.lambdaPerMillionRequests) / 1e6 + batchSeconds * 1 /* GB */ * PRICES.lambdaArmPerGbSecond,
      stepFunctionsStandard: (outerTransitions / 1000) * PRICES.standardPerThousandTransitions,
      stepFunctionsExpress: (partsPerMillion * PRICES.expressPerMillionRequests) / 1e6 + batchSeconds * 0.0625 * PRICES.expressPerGbSecond,
      s3: ((partsPerMillion * PRICES.s3PutPerThousand) + (partsPerMillion * PRICES.s3GetPerThousand)) / 1000,
    };
    const total = Object.values(cost).reduce((a, b) => a + b, 0);

    // The same audience again, as an experiment (treatments 45/45, a 10% holdout, a goal: one more write a
    // recipient, the record the goal finds): its run time against the plain run's.
    const experimentStart = performance.now();
    const trigger = await fetch(`${runtime.apiUrl}/campaigns/churn-save/trigger`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: '{}' });
    const experimentRun = ((await trigger.json()) as { runId: string }).runId;
    const experiment = await runFinished<{ status: string; targeted: number; arms: Record<string, { assigned: number; sent: number }> }>(runtime, 'churn-save', experimentRun);
    const experimentMs = performance.now() - experimentStart;
    return {
      profiles,
      fanOutProfilesPerSecond: Math.round(profiles / (runMs / 1000)),
      sent: report.sent,
      failedOutcomeUnknown: failed,
      runSeconds: round(runMs / 1000, 1),
      baselineBatchWriteSeconds: round(seedMs / 1000, 1),
      runOverBaseline: round(runMs / seedMs, 1),
      requestsPerProfile: {
        dynamodbReads: round(per(dynamoReads), 2),
        dynamodbWrites: round(per(dynamoWrites), 2),
        emails: round(per(emails), 2),
        batches: round(per(batches), 4),
        outerStateTransitions: outerTransitions,
      },
      experiment: {
        runSeconds: round(experimentMs / 1000, 1),
        overPlainRun: round(experimentMs / runMs, 2),
        sharesPercent: Object.fromEntries(Object.entries(experiment.arms).map(([arm, o]) => [arm, round((o.assigned / experiment.targeted) * 100, 2)])),
        sentToHoldout: experiment.arms.holdout?.sent ?? 0,
      },
      // For scale: the naive design, one Standard execution per profile (start, send task, end: 3 transitions).
      naiveExecutionPerProfileTransitionsUsd: round(million * 3 * (PRICES.standardPerThousandTransitions / 1000), 2),
      costOfAMillionProfileRunUsd: Object.fromEntries([...Object.entries(cost).map(([k, v]) => [k, round(v, 3)]), ['total', round(total, 2)], ['withoutSes', round(total - cost.ses, 2)]]),
    };
  } finally {
    await runtime.stop();
  }
}
