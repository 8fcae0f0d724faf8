import { defineFunction } from '../../platform';
import { systemClock } from '../../ports';
import { profileTable } from '../../wiring/profile-table';
import { createReportApiHandler } from './app';

export const reportApi = defineFunction({
  name: 'report-api',
  description: 'GET /journeys/{id}/report: the live report of a journey',
  settings: ['PROFILES_TABLE'],
  slices: ['reportShapes'],
  create: (p) =>
    createReportApiHandler({
      journeys: (id) => (Object.hasOwn(p.workspace('reportShapes'), id) ? p.workspace('reportShapes')[id] : undefined),
      counters: profileTable(p).reports,
      clock: systemClock,
      log: p.log('report-api'),
    }),
});
