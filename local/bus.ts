import type { Bus, BusEntry } from '../functions/ports';
import type { EventPattern } from '../statemachines';

// An in-process EventBridge: the same rules the CDK app creates (statemachines/compile/rule.ts), delivered
// asynchronously with retries, and a dead-letter list for what still fails, as the rule targets have on AWS.
// Deliveries run a bounded number at once, the rest queued, as Lambda's concurrency and its async queue do: a
// burst (a fan-out's enrolments) waits its turn instead of timing out every call in one process.

export interface LocalRule {
  name: string;
  eventPattern: EventPattern;
  deliver(event: { source: string; 'detail-type': string; detail: unknown }): Promise<unknown>;
}

export interface DeadLetter {
  rule: string;
  entry: BusEntry;
  error: string;
}

/** Matches the exact-value patterns the app writes: every key's list must hold the event's value. */
export function matches(pattern: EventPattern, event: { source: string; 'detail-type': string; detail: unknown }): boolean {
  if (!pattern.source.includes(event.source) || !pattern['detail-type'].includes(event['detail-type'])) return false;
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  return Object.entries(pattern.detail ?? {}).every(([key, values]) => values.includes(detail[key] as string));
}

export class InProcessBus implements Bus {
  readonly deadLetters: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private rules: readonly LocalRule[],
    private readonly options: { attempts?: number; backoffMs?: number; maxConcurrent?: number; onDeadLetter?: (d: DeadLetter) => void } = {},
  ) {}

  private active = 0;
  private readonly queued: Array<() => void> = [];

  private async acquire(): Promise<void> {
    if (this.active < (this.options.maxConcurrent ?? 64)) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.queued.push(resolve));
  }

  /** Hands the slot to the next delivery waiting, if any. */
  private release(): void {
    const next = this.queued.shift();
    if (next) next();
    else this.active -= 1;
  }

  /** Replaces the rules (the workspace changed); deliveries under way finish with the old ones. */
  setRules(rules: readonly LocalRule[]): void {
    this.rules = rules;
  }

  async publish(entries: BusEntry[]): Promise<void> {
    for (const entry of entries) {
      const event = { source: entry.source, 'detail-type': entry.detailType, detail: structuredClone(entry.detail) };
      for (const rule of this.rules) {
        if (!matches(rule.eventPattern, event)) continue;
        const delivery = this.deliver(rule, entry, event).finally(() => this.inFlight.delete(delivery));
        this.inFlight.add(delivery);
      }
    }
  }

  private async deliver(rule: LocalRule, entry: BusEntry, event: Parameters<LocalRule['deliver']>[0]): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt += 1) {
      await this.acquire();
      let failure: Error;
      try {
        await rule.deliver(event);
        return;
      } catch (error) {
        failure = error as Error;
      } finally {
        this.release();
      }
      if (attempt >= attempts) {
        const dead = { rule: rule.name, entry, error: failure.message };
        this.deadLetters.push(dead);
        this.options.onDeadLetter?.(dead);
        return;
      }
      await new Promise((r) => setTimeout(r, (this.options.backoffMs ?? 200) * 2 ** (attempt - 1)));
    }
  }

  /** Resolves when every delivery under way has finished (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
