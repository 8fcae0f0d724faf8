import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LocalFifoQueue } from '../../local/queue';

// The local stand-in for SQS FIFO and its Lambda event source: what the ingest pipeline relies on.

const dirs: string[] = [];
const queues: LocalFifoQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function queue(options: ConstructorParameters<typeof LocalFifoQueue>[0] = {}) {
  const q = new LocalFifoQueue({ retryDelayMs: 1, ...options });
  queues.push(q);
  return q;
}
const entry = (group: string, body: string, dedup = body) => ({ groupId: group, dedupId: dedup, body });
const bodies = (event: SQSEvent) => event.Records.map((r) => r.body);

describe('LocalFifoQueue', () => {
  it('delivers each group in order, one batch of a group at a time, groups side by side', async () => {
    const q = queue({ batchSize: 3, concurrency: 4 });
    const seen: string[][] = [];
    let inFlight = new Set<string>();
    let overlap = false;
    q.start(async (event) => {
      const groups = new Set(event.Records.map((r) => r.attributes.MessageGroupId!));
      for (const g of groups) if (inFlight.has(g)) overlap = true;
      inFlight = new Set([...inFlight, ...groups]);
      seen.push(bodies(event));
      await new Promise((r) => setTimeout(r, 2));
      for (const g of groups) inFlight.delete(g);
    });
    q.sendEntries(['a1', 'a2', 'a3', 'a4', 'a5'].map((b) => entry('a', b)));
    q.sendEntries(['b1', 'b2'].map((b) => entry('b', b)));
    await q.idle();
    expect(overlap).toBe(false);
    expect(seen.flat().filter((b) => b.startsWith('a'))).toStrictEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(seen.flat().filter((b) => b.startsWith('b'))).toStrictEqual(['b1', 'b2']);
    expect(Math.max(...seen.map((s) => s.length))).toBeLessThanOrEqual(3);
  });

  it('drops a message whose deduplication id was sent within 5 minutes, as SQS FIFO does', async () => {
    const q = queue();
    const seen: string[] = [];
    q.start(async (event) => void seen.push(...bodies(event)));
    q.sendEntries([entry('a', 'x', 'same'), entry('a', 'y', 'same'), entry('a', 'z', 'other')]);
    await q.idle();
    expect(seen).toStrictEqual(['x', 'z']);
  });

  it('delivers a failed message again with what follows it in its group; after maxReceiveCount they go to the dead-letter file (as SQS FIFO), other groups go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jo-queue-'));
    dirs.push(dir);
    const dead: string[] = [];
    const q = queue({ maxReceiveCount: 3, deadLetterFile: join(dir, 'dead.jsonl'), onDeadLetter: (m) => dead.push(m.body) });
    const receives: Array<[string, string]> = [];
    q.start(async (event): Promise<SQSBatchResponse> => {
      for (const r of event.Records) receives.push([r.body, r.attributes.ApproximateReceiveCount]);
      // 'bad' always fails; what follows it in its group is returned unprocessed, as the FIFO processor does.
      const at = event.Records.findIndex((r) => r.body === 'bad');
      const failed = at < 0 ? [] : event.Records.slice(at).filter((r) => r.attributes.MessageGroupId === 'a');
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    q.sendEntries([entry('a', 'ok-1'), entry('a', 'bad'), entry('a', 'ok-2'), entry('b', 'other')]);
    await q.idle();
    // ok-2 came back with 'bad' each time (never applied out of order), so it shares its fate.
    expect(dead).toStrictEqual(['bad', 'ok-2']);
    expect(receives.filter(([b]) => b === 'bad').map(([, n]) => n)).toStrictEqual(['1', '2', '3']);
    expect(receives.filter(([b]) => b === 'ok-1' || b === 'other').map(([, n]) => n)).toStrictEqual(['1', '1']);
    expect(readFileSync(join(dir, 'dead.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).body)).toStrictEqual(['bad', 'ok-2']);
  });

  it('a thrown batch is delivered again whole', async () => {
    const q = queue();
    let calls = 0;
    const applied: string[] = [];
    q.start(async (event) => {
      calls += 1;
      if (calls === 1) throw new Error('the function failed');
      applied.push(...bodies(event));
    });
    q.sendEntries([entry('a', '1'), entry('a', '2')]);
    await q.idle();
    expect(applied).toStrictEqual(['1', '2']);
  });

  it('makes a batch that outlives the visibility timeout visible again; its late answer is ignored', async () => {
    const q = queue({ visibilityTimeoutMs: 20 });
    const receives: string[] = [];
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    q.start(async (event) => {
      receives.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      if (event.Records[0]!.attributes.ApproximateReceiveCount === '1') await stuck; // hangs past the timeout
    });
    q.sendEntries([entry('a', 'm')]);
    for (let i = 0; i < 500 && receives.length < 2; i += 1) await new Promise((r) => setTimeout(r, 5));
    release();
    await q.idle();
    expect(receives).toStrictEqual(['m#1', 'm#2']);
    expect(await q.pressure()).toStrictEqual({ depth: 0 }); // deleted by the second receive; the first's answer changed nothing
  });

  it('keeps what was sent in a journal: a new queue on the same file delivers what was not deleted, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jo-queue-'));
    dirs.push(dir);
    const file = join(dir, 'q.jsonl');
    const first = queue({ file });
    const applied: string[] = [];
    first.start(async (event) => void applied.push(...bodies(event)));
    first.sendEntries([entry('a', '1')]);
    await first.idle();
    await first.stop();
    // Sent, then the process "dies" before any consumer runs.
    const second = queue({ file });
    second.sendEntries([entry('a', '2'), entry('b', '3')]);
    const third = queue({ file });
    expect(await third.pressure()).toMatchObject({ depth: 2 });
    third.start(async (event) => void applied.push(...bodies(event)));
    await third.idle();
    expect(applied.sort()).toStrictEqual(['1', '2', '3']);
    // Compacted on start: only live messages are kept.
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeLessThanOrEqual(3);
  });
});
