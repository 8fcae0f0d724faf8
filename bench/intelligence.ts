import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { HOURS_OF_WEEK, bestTime, engagementHours, hourOfWeek, isHeld, pattern } from '../functions/domain/send-time';
import { auc, train, trainingRow, type HistoryItem } from '../functions/domain/models';
import { chooseChannel, seededRandom } from '../functions/domain/channel-choice';
import { learningSegment } from '../functions/domain/beta-draw';
import { historyKey } from '../functions/adapters/dynamodb-tables';
import { modelSchema } from '../statemachines/schema/model';
import { LOCAL_TABLES, EMBEDDED, startLocalRuntime } from '../local/runtime';
import { batchWrite, countCalls, readsAndWrites, round } from './measure';
import { PRICES } from '../cli/prices';

// Send time, propensity and channel choice on a synthetic population with a known truth, through the same
// functions the platform runs (send-time.ts, models.ts, channel-choice.ts). Each figure is set against its
// baseline in the same run: sending at campaign time, the ground-truth model, always email. Then the learning
// job in the local runtime over a table of the same population, next to a plain Scan of that table
// (BENCH_INTELLIGENCE_PROFILES, BENCH_LEARNING_TABLE_PROFILES make them smaller).

const DAY = 86_400_000;
const ZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo'];
const NOW = Date.parse('2026-11-30T12:00:00Z');

function random(seed: number) {
  const rng = xoroshiro128plus(seed);
  const next = () => uniformFloat64(rng);
  const poisson = (mean: number) => {
    let k = 0;
    for (let p = next(); p > Math.exp(-mean); p *= next()) k += 1;
    return k;
  };
  return { next, poisson, pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

/** Hours apart on a 24-hour clock. */
const apart = (a: number, b: number) => Math.min(Math.abs(a - b), 24 - Math.abs(a - b));

/**
 * The premise of send-time optimisation: people read their mail at habitual hours. Each person here checks at
 * their hour (morning, lunch or evening, their own) on most days, and at a random hour now and then. An email is
 * opened at the next check, if at all: the longer it waited, the deeper it is buried (half the chance after 8
 * hours). Their history is the opens of past emails sent at random times in the last 90 days.
 */
export function sendTimeFigures(n: number) {
  const r = random(1);
  const people = Array.from({ length: n }, (_, i) => {
    const timeZone = ZONES[i % ZONES.length]!;
    const checks = (r.pick([7, 8, 12, 13, 18, 19, 20, 21]) + Math.floor(r.next() * 2)) % 24;
    const base = 0.1 + r.next() * 0.3;
    /** The chance an email arriving at this local hour (minute 0) is opened. */
    const chance = (localHour: number) => base * 0.5 ** (((checks - localHour + 24) % 24) / 8);
    const history: HistoryItem[] = [];
    const sends = Math.floor(r.next() * 31);
    for (let s = 0; s < sends; s += 1) {
      const at = NOW - 3_600_000 - Math.floor(r.next() * 89 * 24) * 3_600_000;
      const local = hourOfWeek(new Date(at), timeZone) % 24;
      if (r.next() >= chance(local)) continue;
      // Opened at the next check: their hour, or (one time in four) a random one sooner.
      const wait = r.next() < 0.25 ? Math.floor(r.next() * 24) : (checks - local + 24) % 24;
      history.push({ type: 'email.opened', timestamp: new Date(at + wait * 3_600_000 + Math.floor(r.next() * 50) * 60_000).toISOString() });
    }
    return { timeZone, chance, history };
  });
  // The population's pattern, as the learning job computes it: each engaged person's shares, summed.
  const shares = new Array<number>(HOURS_OF_WEEK).fill(0);
  for (const p of people) {
    const hours = engagementHours(p.history, p.timeZone);
    const total = hours.reduce((a, b) => a + b, 0);
    if (total > 0) hours.forEach((c, h) => (shares[h]! += c / total));
  }
  const population = pattern(shares);
  const campaignAt = new Date('2026-12-01T14:00:00Z'); // a Tuesday, 14:00 UTC
  let atCampaign = 0;
  let atBest = 0;
  const started = performance.now();
  for (const p of people) {
    atCampaign += p.chance(hourOfWeek(campaignAt, p.timeZone) % 24);
    const best = bestTime({ now: campaignAt, withinSeconds: 86_400, timeZone: p.timeZone, own: engagementHours(p.history, p.timeZone), population });
    atBest += p.chance(hourOfWeek(new Date(best.at), p.timeZone) % 24);
  }
  const ms = performance.now() - started;
  return {
    profiles: n,
    withHistory: people.filter((p) => p.history.length > 0).length,
    openRateAtCampaignTime: round(atCampaign / n, 4),
    openRateAtBestTime: round(atBest / n, 4),
    lift: round(atBest / atCampaign - 1, 3),
    bestTimesPerSecond: Math.round(n / (ms / 1000)),
  };
}

const MODEL = modelSchema.parse({
  id: 'bench',
  goal: { event: 'order.placed', within: 'P30D' },
  features: [
    { count: 'product.viewed', within: 'P14D' },
    { count: 'email.clicked', within: 'P30D' },
    { recency: 'order.placed', within: 'P90D' },
    { count: 'order.placed', within: 'P90D' },
    { attribute: 'tier', equals: 'vip' },
  ],
});
/** The ground truth: the chance of an order in the 30 days after `at`, from the same features. */
const TRUE_WEIGHTS = [-2.2, 0.9, 0.6, -0.025, 0.5, 0.7];
const truthLogit = (x: readonly number[]) => TRUE_WEIGHTS[0]! + x.reduce((z, v, i) => z + TRUE_WEIGHTS[i + 1]! * v, 0);

/** A person's history and attributes, and whether they order after the cutoff, drawn from the truth. */
function syntheticHistories(n: number, seed: number) {
  const r = random(seed);
  const cutoff = NOW - 30 * DAY;
  return Array.from({ length: n }, (_, i) => {
    const activity = r.next() ** 2; // most people quiet, a few busy
    const history: HistoryItem[] = [];
    const event = (type: string, daysBeforeCutoff: number) => history.push({ type, timestamp: new Date(cutoff - daysBeforeCutoff * DAY - 60_000).toISOString() });
    for (let k = r.poisson(activity * 8); k > 0; k -= 1) event('product.viewed', r.next() * 14);
    for (let k = r.poisson(activity * 3); k > 0; k -= 1) event('email.clicked', r.next() * 30);
    for (let k = r.poisson(activity * 2); k > 0; k -= 1) event('order.placed', r.next() * 90);
    const profile = { id: `p-${i}`, attributes: r.next() < 0.1 ? { tier: 'vip' } : {} };
    const x = trainingRow(MODEL, profile, history, NOW).x;
    if (r.next() < 1 / (1 + Math.exp(-truthLogit(x)))) history.push({ type: 'order.placed', timestamp: new Date(cutoff + r.next() * 29 * DAY).toISOString() });
    return { profile, history };
  });
}

export function propensityFigures(n: number) {
  const people = syntheticHistories(n, 2);
  const rows = people.map(({ profile, history }) => ({ ...trainingRow(MODEL, profile, history, NOW), heldOut: isHeld(profile.id, MODEL.id, MODEL.heldOut) }));
  const started = performance.now();
  const trained = train(MODEL, rows, NOW);
  const trainMs = performance.now() - started;
  const held = rows.filter((r) => r.heldOut);
  const truthAuc = auc(held.map((r) => truthLogit(r.x)), held.map((r) => r.y))!;
  return {
    profiles: n,
    positives: trained.rows.positives,
    heldOut: trained.rows.heldOut,
    auc: trained.auc,
    groundTruthAuc: round(truthAuc, 4),
    aucGap: round(truthAuc - trained.auc!, 4),
    trainSeconds: round(trainMs / 1000, 2),
    calibration: trained.calibration,
  };
}

/**
 * Three channels; people who use the app answer push best, others email, and SMS sits between. Push needs the
 * app and consent; SMS a phone. Sends go in rounds of 1,000 (feedback arrives later): the choice learns only from
 * the rounds before.
 */
export function channelFigures(n: number) {
  const r = random(3);
  const RATES: Record<string, Record<string, number>> = { 'app-users': { push: 0.32, email: 0.12, sms: 0.16 }, '*': { push: 0.06, email: 0.16, sms: 0.1 } };
  const people = Array.from({ length: n }, (_, i) => {
    const app = r.next() < 0.4;
    const eligible = ['email', ...(app && r.next() < 0.8 ? ['push'] : []), ...(r.next() < 0.5 ? ['sms'] : [])];
    return { id: `c-${i}`, audiences: (app ? { 'app-users': 'x' } : {}) as Record<string, string>, eligible };
  });
  const stats = new Map<string, { sent: number; engaged: number }>();
  const key = (segment: string, channel: string) => `${segment}:${channel}`;
  let engagedChosen = 0;
  let engagedEmail = 0;
  const chosen: Record<string, number> = {};
  for (let round0 = 0; round0 < n; round0 += 1000) {
    const outcomes: Array<{ k: string; engaged: boolean }> = [];
    for (const p of people.slice(round0, round0 + 1000)) {
      const segment = learningSegment(['app-users'], p.audiences);
      const view = new Map(['push', 'email', 'sms'].map((c) => [c, stats.get(key(segment, c)) ?? { sent: 0, engaged: 0 }]));
      const { channel } = chooseChannel(p.eligible, view, seededRandom(`${p.id}#tip#1`))!;
      chosen[channel] = (chosen[channel] ?? 0) + 1;
      const engaged = r.next() < RATES[segment]![channel]!;
      if (engaged) engagedChosen += 1;
      if (r.next() < RATES[segment]!.email!) engagedEmail += 1;
      outcomes.push({ k: key(segment, channel), engaged });
    }
    for (const o of outcomes) {
      const s = stats.get(o.k) ?? { sent: 0, engaged: 0 };
      stats.set(o.k, { sent: s.sent + 1, engaged: s.engaged + (o.engaged ? 1 : 0) });
    }
  }
  return { profiles: n, engagementRateAlwaysEmail: round(engagedEmail / n, 4), engagementRateChosen: round(engagedChosen / n, 4), lift: round(engagedChosen / engagedEmail - 1, 3), chosen };
}

/** The learning job over a local table: collect, fit, score, against a Scan of every item of the same table. */
export async function learningJobFigures(n: number) {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const root = mkdtempSync(join(tmpdir(), 'bench-learn-'));
  mkdirSync(join(root, 'models'));
  mkdirSync(join(root, 'journeys'));
  writeFileSync(join(root, 'models', 'bench.json'), JSON.stringify(MODEL));
  const calls = new Map<string, number>();
  const runtime = await startLocalRuntime({ ...EMBEDDED, workspace: root, instrument: ({ dynamodb }) => countCalls(dynamodb, calls) });
  try {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('../local/emulators');
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.dynamoUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    const at = new Date(NOW).toISOString();
    // Written as applying the events would have: the profile, and its history under it.
    const items = syntheticHistories(n, 4).flatMap(({ profile, history }, i) => [
      { pk: `P#${profile.id}`, sk: 'PROFILE', id: profile.id, attributes: profile.attributes, attributeTimes: {}, createdAt: at, updatedAt: at, version: 1 },
      ...history.map((e, k) => ({ ...historyKey(profile.id, e.timestamp, `e-${i}-${k}`), id: `e-${i}-${k}`, type: e.type, timestamp: e.timestamp, properties: {} })),
    ]);
    for (let i = 0; i < items.length; i += 25) await batchWrite(doc, LOCAL_TABLES.profiles, items.slice(i, i + 25));
    calls.clear(); // the job's requests only, not the seeding
    const jobStart = performance.now();
    const job = await runtime.learn('bench', at);
    const { reads, writes } = readsAndWrites(calls);
    const jobMs = performance.now() - jobStart;
    // The baseline: a Scan of every item of the same table (which also counts the profiles that got a score).
    const scanStart = performance.now();
    let scanned = 0;
    let scored = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: LOCAL_TABLES.profiles, ExclusiveStartKey }));
      scanned += page.Items?.length ?? 0;
      scored += (page.Items ?? []).filter((item) => typeof (item.scores as Record<string, unknown> | undefined)?.bench === 'number').length;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const scanMs = performance.now() - scanStart;
    return {
      profiles: n,
      items: scanned,
      scanSeconds: round(scanMs / 1000, 2),
      learningJobSeconds: round(jobMs / 1000, 2),
      profilesPerSecond: Math.round(n / (jobMs / 1000)),
      status: job.status,
      profilesScored: scored,
      jobOverScan: round(jobMs / scanMs, 1),
      // Requests as units (items here are under 1 KB; a long history is more units per query): a floor.
      dynamoRequestsPerProfile: { reads: round(reads / n, 2), writes: round(writes / n, 2) },
      dynamoUsdPerMillionProfilesPerTraining: round(((reads / n) * PRICES.dynamoReadPerMillion + (writes / n) * PRICES.dynamoWritePerMillion), 2),
    };
  } finally {
    await runtime.stop();
  }
}

export async function intelligenceFigures() {
  const n = Number(process.env.BENCH_INTELLIGENCE_PROFILES ?? 50_000);
  const sendTime = sendTimeFigures(n);
  const propensity = propensityFigures(n);
  const channels = channelFigures(n);
  const learningJob = await learningJobFigures(Number(process.env.BENCH_LEARNING_TABLE_PROFILES ?? n));
  return {
    sendTime,
    propensity,
    channels,
    learningJob,
    acceptance: {
      sendTimeLiftAtLeast20Percent: sendTime.lift >= 0.2,
      aucAtLeast075: (propensity.auc ?? 0) >= 0.75,
      aucWithin005OfTruth: propensity.aucGap <= 0.05,
      channelChoiceLiftAtLeast15Percent: channels.lift >= 0.15,
    },
  };
}
