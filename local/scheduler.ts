import { Cron } from 'croner';
import type { Campaign } from '../statemachines';

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
