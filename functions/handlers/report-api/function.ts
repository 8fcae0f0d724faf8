import { DynamoDbReportShapes } from '../../adapters/dynamodb-report-shapes';
import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createReportApiHandler } from './app';

export const reportApi = defineFunction({
  name: 'report-api',
  description: 'GET /journeys/{id}/report: the live report of a journey; GET /models/{id}/report: a model\'s last training',
  settings: ['PROFILES_TABLE'],
  slices: [],
  create: (p) => {
    const t = profileTable(p);
    const shapes = p.local?.reportShapes ?? ((id: string) => p.once('report-shapes', () => new DynamoDbReportShapes(t.doc, t.table)).get(id));
    return createReportApiHandler({ journeys: async (id) => shapes(id), learned: t.learned, counters: t.reports, clock: systemClock, log: p.log('report-api') });
  },
});
