import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { queueEntries } from '../functions/adapters/sqs-event-queue';
import type { EventQueue, QueuedEvent, QueuePressure } from '../functions/ports';

// The local stand-in for the SQS FIFO queue of accepted events, behaving as SQS and its Lambda event source
// do: in order within a message group, one batch of a group in flight at a time, groups side by side; a
// deduplication window of 5 minutes; a visibility timeout; failed messages (partial batch responses) delivered
// again, and moved to the dead-letter file after maxReceiveCount receives. Sends are appended to a journal
// file before send() returns, so a killed process (SIGKILL) loses nothing it answered 202 for.

interface Message {
  id: string;
  groupId: string;
  dedupId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
  /** The receive in progress (a receipt handle): a stale one cannot delete the message. */
  receipt?: number;
}

export interface LocalQueueOptions {
  /** The journal; in memory when not set. */
  file?: string;
  /** Where messages go after maxReceiveCount receives (one JSON line each). */
  deadLetterFile?: string;
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
  /** Wait before a failed message is delivered again, times its receive count (SQS: the visibility timeout). */
  retryDelayMs?: number;
  batchSize?: number;
  /** Batches in flight at once (Lambda's concurrency for the event source). */
  concurrency?: number;
  onDeadLetter?: (message: { id: string; body: string; receiveCount: number }) => void;
}

type Consumer = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

const DEDUP_WINDOW_MS = 5 * 60_000;
const COMPACT_AFTER_LINES = 20_000;

export class LocalFifoQueue implements EventQueue {
  /** Messages by group, each group in order. */
  private readonly groups = new Map<string, Message[]>();
  private readonly dedup = new Map<string, number>();
  /** Groups with a batch in flight, and that batch's receipt. */
  private readonly inFlightGroups = new Map<string, number>();
  private readonly batches = new Set<Promise<void>>();
  private readonly waiters: Array<() => void> = [];
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 0;
  private nextReceipt = 0;
  private size = 0;
  private journalLines = 0;
  private stopped = false;
  private readonly o: Required<Omit<LocalQueueOptions, 'file' | 'deadLetterFile' | 'onDeadLetter'>> & LocalQueueOptions;

  constructor(options: LocalQueueOptions = {}) {
    this.o = { visibilityTimeoutMs: 60_000, maxReceiveCount: 5, retryDelayMs: 250, batchSize: 10, concurrency: 4, ...options };
    if (this.o.file) this.recover(this.o.file);
  }

  // -- the producer side (the port the ingest API uses) --

  async send(events: readonly QueuedEvent[]): Promise<void> {
    this.sendEntries(queueEntries(events));
  }

  /** Messages waiting or in flight, and the oldest one's age. */
  async pressure(): Promise<QueuePressure> {
    let oldest = Infinity;
    for (const list of this.groups.values()) if (list[0] && list[0].sentAt < oldest) oldest = list[0].sentAt;
    return { depth: this.size, ...(this.size > 0 ? { oldestAgeSeconds: (Date.now() - oldest) / 1000 } : {}) };
  }

  sendEntries(entries: ReadonlyArray<{ groupId: string; dedupId: string; body: string }>): void {
    const now = Date.now();
    const fresh: Message[] = [];
    for (const e of entries) {
      const seen = this.dedup.get(e.dedupId);
      if (seen !== undefined && now - seen < DEDUP_WINDOW_MS) continue; // SQS FIFO: accepted, not delivered again
      this.dedup.set(e.dedupId, now);
      fresh.push({ id: `m${now.toString(36)}-${(this.nextId += 1)}`, groupId: e.groupId, dedupId: e.dedupId, body: e.body, sentAt: now, receiveCount: 0, visibleAt: now });
    }
    if (fresh.length === 0) return;
    this.journal(fresh.map((m) => ({ s: [m.id, m.groupId, m.dedupId, m.sentAt, m.body] })));
    for (const m of fresh) {
      const list = this.groups.get(m.groupId) ?? [];
      list.push(m);
      this.groups.set(m.groupId, list);
    }
    this.size += fresh.length;
    this.pruneDedup(now);
    this.pump();
  }

  // -- the consumer side (Lambda's event source mapping) --

  /** Delivers batches to the consumer from now on, as the event source mapping does. */
  start(consumer: Consumer): void {
    this.consumer = consumer;
    this.stopped = false;
    this.pump();
  }

  /** Resolves when no message waits or is in flight (failed ones count until they land in the dead-letter file). */
  idle(): Promise<void> {
    if (this.size === 0 && this.batches.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops delivering and waits for the batches in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.batches);
  }

  private pump(): void {
    if (!this.consumer || this.stopped) return;
    while (this.batches.size < this.o.concurrency) {
      const batch = this.receive();
      if (batch.length === 0) break;
      const receipt = batch[0]!.receipt!;
      const run = this.deliver(batch, receipt).finally(() => {
        this.batches.delete(run);
        this.pump();
        this.settle();
      });
      this.batches.add(run);
    }
    this.schedule();
  }

  /** Up to batchSize messages: the visible heads of groups with nothing in flight, in order within each group. */
  private receive(): Message[] {
    const now = Date.now();
    const batch: Message[] = [];
    const receipt = (this.nextReceipt += 1);
    for (const [groupId, list] of this.groups) {
      if (batch.length >= this.o.batchSize) break;
      if (this.inFlightGroups.has(groupId) || !list[0] || list[0].visibleAt > now) continue;
      this.inFlightGroups.set(groupId, receipt);
      for (const m of list) {
        if (batch.length >= this.o.batchSize || m.visibleAt > now) break;
        m.receiveCount += 1;
        m.receipt = receipt;
        m.visibleAt = now + this.o.visibilityTimeoutMs;
        batch.push(m);
      }
    }
    return batch;
  }

  private async deliver(batch: Message[], receipt: number): Promise<void> {
    // Past the visibility timeout a batch's messages are visible again (its late answer is then ignored).
    const timeout = setTimeout(() => {
      for (const m of batch) {
        if (m.receipt !== receipt) continue;
        m.receipt = undefined;
        m.visibleAt = Date.now();
        if (this.inFlightGroups.get(m.groupId) === receipt) this.inFlightGroups.delete(m.groupId);
      }
      this.pump();
    }, this.o.visibilityTimeoutMs);
    timeout.unref();
    let failed: Set<string>;
    try {
      const response = await this.consumer!({ Records: batch.map((m) => this.record(m)) });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.id)); // the whole batch failed
    }
    const deleted: string[] = [];
    for (const m of batch) {
      if (m.receipt !== receipt) continue; // received again after its visibility timeout: that receive decides
      m.receipt = undefined;
      if (!failed.has(m.id)) {
        deleted.push(m.id);
        this.remove(m);
      } else if (m.receiveCount >= this.o.maxReceiveCount) {
        deleted.push(m.id);
        this.remove(m);
        if (this.o.deadLetterFile) appendFileSync(this.o.deadLetterFile, `${JSON.stringify({ id: m.id, receiveCount: m.receiveCount, body: m.body })}\n`);
        this.o.onDeadLetter?.({ id: m.id, body: m.body, receiveCount: m.receiveCount });
      } else {
        m.visibleAt = Date.now() + this.o.retryDelayMs * m.receiveCount;
      }
    }
    clearTimeout(timeout);
    for (const m of batch) if (this.inFlightGroups.get(m.groupId) === receipt) this.inFlightGroups.delete(m.groupId);
    if (deleted.length > 0) this.journal([{ d: deleted }]);
  }

  private record(m: Message): SQSRecord {
    return {
      messageId: m.id,
      receiptHandle: `${m.id}:${m.receipt}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.sentAt),
        MessageGroupId: m.groupId,
        MessageDeduplicationId: m.dedupId,
        SequenceNumber: m.id,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:journeys-events.fifo',
      awsRegion: 'local',
    };
  }

  private remove(m: Message): void {
    const list = this.groups.get(m.groupId);
    const at = list?.indexOf(m) ?? -1;
    if (!list || at < 0) return;
    list.splice(at, 1);
    if (list.length === 0) this.groups.delete(m.groupId);
    this.size -= 1;
  }

  /** Wakes the pump when the next delayed message becomes visible. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.consumer || this.stopped || this.size === 0) return;
    let next = Infinity;
    for (const [groupId, list] of this.groups) if (!this.inFlightGroups.has(groupId) && list[0]) next = Math.min(next, list[0].visibleAt);
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.pump(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  private settle(): void {
    if (this.size > 0 || this.batches.size > 0) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private pruneDedup(now: number): void {
    if (this.dedup.size < 10_000) return;
    for (const [id, at] of this.dedup) if (now - at >= DEDUP_WINDOW_MS) this.dedup.delete(id);
  }

  // -- the journal: sends and deletes, replayed on start --

  private journal(lines: unknown[]): void {
    if (!this.o.file) return;
    appendFileSync(this.o.file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    this.journalLines += lines.length;
    if (this.journalLines > COMPACT_AFTER_LINES && this.journalLines > 4 * this.size) this.compact(this.o.file);
  }

  private recover(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      const byId = new Map<string, Message>();
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        let entry: { s?: [string, string, string, number, string]; d?: string[] };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue; // a line cut short by a crash: its send never returned
        }
        if (entry.s) {
          const [id, groupId, dedupId, sentAt, body] = entry.s;
          byId.set(id, { id, groupId, dedupId, body, sentAt, receiveCount: 0, visibleAt: 0 });
          this.dedup.set(dedupId, sentAt);
        }
        for (const id of entry.d ?? []) byId.delete(id);
      }
      // Messages in flight when the process stopped are delivered again, as after a visibility timeout.
      for (const m of byId.values()) {
        const list = this.groups.get(m.groupId) ?? [];
        list.push(m);
        this.groups.set(m.groupId, list);
        this.size += 1;
      }
      this.nextId = byId.size;
    }
    this.compact(file);
  }

  /** Rewrites the journal with the live messages only (a new file, renamed over the old one). */
  private compact(file: string): void {
    const lines: string[] = [];
    for (const list of this.groups.values()) for (const m of list) lines.push(`${JSON.stringify({ s: [m.id, m.groupId, m.dedupId, m.sentAt, m.body] })}\n`);
    writeFileSync(`${file}.tmp`, lines.join(''));
    renameSync(`${file}.tmp`, file);
    this.journalLines = lines.length;
  }
}
