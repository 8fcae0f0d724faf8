import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Bus, BusEntry } from '../ports';
import type { Platform } from '../platform';

const BATCH = 10; // PutEvents takes at most 10 entries
const ROUNDS = 4;

export class EventBridgeBus implements Bus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async publish(entries: BusEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      let pending: PutEventsRequestEntry[] = entries.slice(i, i + BATCH).map((e) => ({
        EventBusName: this.busName,
        Source: e.source,
        DetailType: e.detailType,
        Detail: JSON.stringify(e.detail),
      }));
      // PutEvents can fail part of a batch; send the failed entries again with backoff.
      for (let round = 0; pending.length > 0; round += 1) {
        if (round === ROUNDS) throw new Error(`${pending.length} event(s) could not be put on the bus`);
        if (round > 0) await this.sleep(100 * 2 ** round);
        const result = await this.client.send(new PutEventsCommand({ Entries: pending }));
        pending = (result.Entries ?? []).flatMap((r, j) => (r.ErrorCode ? [pending[j]!] : []));
      }
    }
  }
}

/** The journeys bus: EventBridge on AWS, the in-process bus locally. */
export const busOf = (p: Platform): Bus => p.local?.bus ?? p.once('bus', () => new EventBridgeBus(p.client(EventBridgeClient), p.setting('EVENT_BUS_NAME')));
