import { Cron } from 'croner';
import type { Campaign } from '../statemachines';
import type { ResumeSchedules, WaitingRef } from '../functions/ports';

// EventBridge Scheduler, locally: croner fires each scheduled campaign in its time zone. The run id comes
// from the campaign and the fire time, so a fire delivered twice is one run (one execution name).

export const scheduledRunId = (campaignId: string, at: Date) => `${campaignId}-${at.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;

export class CampaignScheduler {
  private crons: Cron[] = [];
  private readonly byCampaign = new Map<string, Cron>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly start: (campaignId: string, runId: string) => Promise<void>) {}

  set(campaigns: Record<string, Campaign>): void {
    this.stop();
    for (const c of Object.values(campaigns)) {
      const s = c.schedule;
      if (!s) continue;
      const fire = () => void this.fire(c.id, new Date()).catch((e: Error) => console.warn(`campaign ${c.id} did not start: ${e.message}`));
      if (s.cron) {
        const cron = new Cron(s.cron, { timezone: s.timeZone, unref: true }, fire);
        this.crons.push(cron);
        this.byCampaign.set(c.id, cron);
      }
      else if (s.at) {
        // A local date and time in the campaign's zone, once.
        const when = new Cron(`${s.at.length === 16 ? `${s.at}:00` : s.at}`, { timezone: s.timeZone, unref: true, maxRuns: 1 }, fire);
        this.crons.push(when);
      } else if (s.rate) {
        // rate(): every n units from now, as Scheduler counts from the schedule's creation.
        const [n, unit] = s.rate.split(' ') as [string, string];
        const minutes = Number(n) * (unit.startsWith('day') ? 1440 : unit.startsWith('hour') ? 60 : 1);
        const timer = setInterval(fire, minutes * 60_000);
        timer.unref();
        this.timers.push(timer);
      }
    }
  }

  async fire(campaignId: string, at: Date): Promise<string> {
    const runId = scheduledRunId(campaignId, at);
    await this.start(campaignId, runId);
    return runId;
  }

  /** When a cron campaign fires next. */
  nextRun(campaignId: string): Date | undefined {
    return this.byCampaign.get(campaignId)?.nextRun() ?? undefined;
  }

  stop(): void {
    this.byCampaign.clear();
    for (const c of this.crons) c.stop();
    for (const t of this.timers) clearInterval(t);
    this.crons = [];
    this.timers = [];
  }
}

/**
 * EventBridge Scheduler's one-time resume schedules, locally: a timer per parked run. The continuations are
 * the schedules' record (they live in the local DynamoDB): `recover` sets the timers again after a restart,
 * so a parked run resumes at its time whether or not the process was up in between. Time is scaled from the
 * moment the run parked, as the runner scales its waits.
 */
export class LocalResumeScheduler implements ResumeSchedules {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly firing = new Set<Promise<void>>();
  /** The continuation keys of the schedules being delivered now. */
  private readonly delivering = new Set<string>();
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly fire: (ref: WaitingRef) => Promise<void>,
    private readonly timeScale = 1,
  ) {}

  private id = (ref: WaitingRef) => `${ref.profileId}\u0000${ref.eventType}\u0000${ref.key}`;

  async schedule(ref: WaitingRef, at: Date, parkedAt: Date = new Date()): Promise<void> {
    if (this.stopped || this.timers.has(this.id(ref))) return;
    const fireAt = parkedAt.getTime() + (at.getTime() - parkedAt.getTime()) * this.timeScale;
    const timer = setTimeout(() => {
      this.timers.delete(this.id(ref));
      this.wake();
      // Like Scheduler's retry policy: a failed resume is tried again a few times, then reported.
      const attempt = async (n: number): Promise<void> => {
        try {
          await this.fire(ref);
        } catch (error) {
          if (n >= 3 || this.stopped) return console.warn(`a parked run did not resume: ${(error as Error).message}`);
          await new Promise((r) => setTimeout(r, 200 * 2 ** n));
          return attempt(n + 1);
        }
      };
      this.delivering.add(ref.key);
      const pending = attempt(0).finally(() => {
        this.firing.delete(pending);
        this.delivering.delete(ref.key);
      });
      this.firing.add(pending);
    }, Math.max(0, fireAt - Date.now()));
    this.timers.set(this.id(ref), timer);
  }

  async cancel(ref: WaitingRef): Promise<void> {
    clearTimeout(this.timers.get(this.id(ref)));
    if (this.timers.delete(this.id(ref))) this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when a schedule fires or is cancelled (or at once when none is pending). */
  changed(): Promise<void> {
    return this.timers.size === 0 ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  /** Whether the parked run with this continuation key still has its resume to come (or under way). */
  holds(key: string): boolean {
    return this.delivering.has(key) || [...this.timers.keys()].some((id) => id.endsWith(`\u0000${key}`));
  }

  /** The schedules still to fire. */
  get pending(): number {
    return this.timers.size;
  }

  /** Resolves when no resume is being delivered. */
  async idle(): Promise<void> {
    while (this.firing.size > 0) await Promise.all([...this.firing]);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.wake();
  }
}
