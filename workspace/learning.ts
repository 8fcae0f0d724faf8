import { ENGAGEMENT_JOB } from '../functions/domain/learn-jobs';
import type { Workspace } from './load';

// The learning jobs a workspace schedules, the same on AWS (infra/constructs/audiences.ts) and locally: one per
// model on its cron, and the engagement pattern's daily job when a message step or campaign sends at the best time.

export const ENGAGEMENT_CRON = '30 3 * * *';

export const usesBestTime = (w: Pick<Workspace, 'journeys' | 'campaigns'>): boolean =>
  w.journeys.some((j) => Object.values(j.journey.steps).some((s) => 'sendTime' in s && s.sendTime === 'best')) || Object.values(w.campaigns).some((c) => c.sendTime === 'best');

export function learningSchedules(w: Pick<Workspace, 'journeys' | 'campaigns' | 'models'>): Array<{ modelId: string; cron: string }> {
  return [...(usesBestTime(w) ? [{ modelId: ENGAGEMENT_JOB, cron: ENGAGEMENT_CRON }] : []), ...w.models.map((m) => ({ modelId: m.id, cron: m.schedule.cron }))];
}
