import { createHash } from 'node:crypto';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { EventQueue, QueuedEvent, QueuePressure } from '../ports';
import type { Platform } from '../platform';
import { sendInBatches } from './batches';

const BATCH = 10; // SendMessageBatch takes at most 10 entries
const ROUNDS = 4;
const PRESSURE_CACHE_MS = 5_000;

/**
 * The message group of an event: its profile, hashed (group ids are at most 128 characters, profile ids 256,
 * and the hash keeps personal ids out of the queue's metadata). One group is applied in order, one at a time.
 */
export const messageGroupOf = (profileId: string): string => createHash('sha256').update(profileId).digest('hex');

/** The entries for a queue: body, group per profile, deduplication per event id (the 5-minute SQS FIFO window). */
export function queueEntries(events: readonly QueuedEvent[]): Array<{ id: string; groupId: string; dedupId: string; body: string }> {
  const groups = new Map<string, string>();
  const groupOf = (profileId: string) => groups.get(profileId) ?? groups.set(profileId, messageGroupOf(profileId)).get(profileId)!;
  return events.map((q, i) => ({ id: String(i), groupId: groupOf(q.event.profileId), dedupId: createHash('sha256').update(q.event.id).digest('hex'), body: JSON.stringify(q) }));
}

/** The accepted events' queue on AWS: SQS FIFO, a message group per profile. */
export class SqsEventQueue implements EventQueue {
  private cached: { at: number; pressure: QueuePressure } | undefined;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async send(events: readonly QueuedEvent[]): Promise<void> {
    const all: SendMessageBatchRequestEntry[] = queueEntries(events).map((e) => ({ Id: e.id, MessageBody: e.body, MessageGroupId: e.groupId, MessageDeduplicationId: e.dedupId }));
    // A batch can fail in part: the failed entries go again.
    await sendInBatches(
      all,
      async (batch) => {
        const failed = new Set(((await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch }))).Failed ?? []).map((f) => f.Id));
        return batch.filter((e) => failed.has(e.Id));
      },
      { size: BATCH, rounds: ROUNDS, backoffMs: 50, sleep: this.sleep, failure: (n) => new Error(`${n} event(s) could not be enqueued`) },
    );
  }

  /** Messages waiting or in flight, read at most every 5 s per instance (GetQueueAttributes is not free). */
  async pressure(): Promise<QueuePressure> {
    const now = this.now();
    if (this.cached && now - this.cached.at < PRESSURE_CACHE_MS) return this.cached.pressure;
    const { Attributes = {} } = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    const depth = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    this.cached = { at: now, pressure: { depth } };
    return this.cached.pressure;
  }
}

/** The accepted events' queue: SQS FIFO on AWS, the local queue in the local runtime. */
export const eventQueueOf = (p: Platform): EventQueue => p.local?.queue ?? p.once('events-queue', () => new SqsEventQueue(p.client(SQSClient), p.setting('EVENTS_QUEUE_URL')));
