import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Bus, BusEntry } from '../ports';
import type { Platform } from '../platform';
import { sendInBatches } from './batches';

const BATCH = 10; // PutEvents takes at most 10 entries
const ROUNDS = 4;

export class EventBridgeBus implements Bus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async publish(entries: BusEntry[]): Promise<void> {
    const all: PutEventsRequestEntry[] = entries.map((e) => ({ EventBusName: this.busName, Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) }));
    // PutEvents can fail part of a batch: the failed entries go again.
    await sendInBatches(
      all,
      async (batch) => ((await this.client.send(new PutEventsCommand({ Entries: batch }))).Entries ?? []).flatMap((r, j) => (r.ErrorCode ? [batch[j]!] : [])),
      { size: BATCH, rounds: ROUNDS, backoffMs: 100, sleep: this.sleep, failure: (n) => new Error(`${n} event(s) could not be put on the bus`) },
    );
  }
}

/** The journeys bus: EventBridge on AWS, the in-process bus locally. */
export const busOf = (p: Platform): Bus => p.local?.bus ?? p.once('bus', () => new EventBridgeBus(p.client(EventBridgeClient), p.setting('EVENT_BUS_NAME')));
