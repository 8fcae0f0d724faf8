import type * as z from 'zod';
import type { JourneyReport } from '../functions/domain/reports';
import type { campaignReportSchema } from '../functions/handlers/campaign-api/schema';
import type { modelReportSchema } from '../functions/handlers/report-api/app';
import { dataTable } from './table';

// `jo report <journey>`: the journey's live report from the API, as a table in the terminal.

/** GET a report from the API with the key; a refusal is an Error with the API's message. */
async function getReport<T>(options: { api: string; key: string }, path: string): Promise<T> {
  const response = await fetch(`${options.api.replace(/\/$/, '')}${path}`, { headers: { authorization: `Bearer ${options.key}` } });
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(`${response.status}: ${body.message ?? response.statusText}`);
  return body;
}

export function fetchReport(options: { api: string; key: string; journey: string; from?: string; to?: string }): Promise<JourneyReport & { title: string }> {
  const query = new URLSearchParams({ ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) });
  return getReport(options, `/journeys/${encodeURIComponent(options.journey)}/report?${query}`);
}

const n = (v: number | undefined) => (v === undefined ? '' : String(v));
const reasons = (r: Record<string, number> | undefined) =>
  Object.entries(r ?? {})
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

export function formatJourneyReport(report: JourneyReport & { title: string }): string {
  const t = report.totals;
  const exited = Object.entries(t.exited).map(([k, v]) => `${v} on ${k}`).join(', ');
  const lines = [
    `${report.title} (${report.journey}), ${report.from} to ${report.to}${report.versions.length ? `, versions ${report.versions.join(', ')}` : ''}`,
    `entered ${t.entered} · in the journey now ${t.inFlight} · completed ${t.completed} · exited ${Object.values(t.exited).reduce((a, b) => a + b, 0)}${exited ? ` (${exited})` : ''} · goal ${t.goal} · failed ${t.failed}`,
    '',
    ...dataTable(
      ['step', 'entered', 'waiting', 'sent', 'skipped', 'failed', 'delivered', 'opened', 'clicked', 'bounced'],
      Object.entries(report.steps).flatMap(([id, s]) => [
        [id, n(s.entered), n(s.waiting), n(s.sent), reasons(s.skipped), n(s.failed), n(s.feedback?.delivered), n(s.feedback?.opened), n(s.feedback?.clicked), n(s.feedback?.bounced)],
        // A step's groups under it: send time (timing.best, timing.held) and the channels a choice chose.
        ...Object.entries(s.groups ?? {}).map(([g, c]) => [`  ${g}`, '', '', n(c.sent), '', '', n(c.feedback.delivered), n(c.feedback.opened), n(c.feedback.clicked), n(c.feedback.bounced)]),
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

type ModelReport = z.output<typeof modelReportSchema>;

export const fetchModelReport = (options: { api: string; key: string; model: string }): Promise<ModelReport> => getReport(options, `/models/${encodeURIComponent(options.model)}/report`);

/** `jo report --model <id>`: the last training, its held-out AUC, coefficients and calibration. */
export function formatModelReport(report: ModelReport): string {
  if (!('trainedAt' in report)) {
    const top = report.pattern.map((share, hour) => ({ share, hour })).sort((a, b) => b.share - a.share).slice(0, 5);
    const day = (h: number) => `${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][Math.floor(h / 24)]} ${String(h % 24).padStart(2, '0')}:00`;
    return `engagement pattern learned ${report.learnedAt} from ${report.profiles} profile(s); busiest hours (local): ${top.map((t) => `${day(t.hour)} ${(t.share * 100).toFixed(1)}%`).join(', ')}\n`;
  }
  const lines = [
    `model ${report.id}: trained ${report.trainedAt} (features as of ${report.cutoff}) on ${report.rows.training} profiles, ${report.rows.positives} positive; AUC ${report.auc ?? 'n/a'} on ${report.rows.heldOut} held out`,
    '',
    ...dataTable(['feature', 'coefficient (standardised)'], [['intercept', report.coefficients[0]!.toFixed(4)], ...report.features.map((f, i) => [f, report.coefficients[i + 1]!.toFixed(4)])]),
    '',
    ...dataTable(['predicted', 'profiles', 'mean predicted', 'observed'], report.calibration.map((b) => [`${b.bucket / 10}-${(b.bucket + 1) / 10}`, String(b.count), b.predicted.toFixed(3), b.observed.toFixed(3)])),
  ];
  return `${lines.join('\n')}\n`;
}

type CampaignReport = z.output<typeof campaignReportSchema>;

/** `jo report --campaign <id>`: the campaign's runs summed, and its experiment's arms compared. */
export const fetchCampaignReport = (options: { api: string; key: string; campaign: string }): Promise<CampaignReport> => getReport(options, `/campaigns/${encodeURIComponent(options.campaign)}/report`);

const percent = (v: number | undefined) => (v === undefined ? '' : `${(v * 100).toFixed(2)}%`);
const interval = (i: [number, number] | undefined) => (i ? `[${percent(i[0])}, ${percent(i[1])}]` : '');

export function formatCampaignReport(report: CampaignReport): string {
  const t = report.totals;
  const lines = [`campaign ${report.campaign}: ${t.runs} run(s) · targeted ${t.targeted} · sent ${t.sent} · skipped ${reasons(t.skipped) || 0} · failed ${t.failed}`];
  const e = report.experiment;
  if (e) {
    lines.push('', `experiment${e.goal ? `: goal ${e.goal.event} within ${e.goal.within}` : ''}, against ${e.control} (${Math.round(e.confidence * 100)}% intervals)`, '');
    lines.push(
      ...dataTable(
        ['arm', 'assigned', 'sent', 'opened', 'clicked', 'converted', 'rate', 'lift', 'lift interval', 'p-value', 'P(best)'],
        Object.entries(e.arms).map(([id, a]) => [id, n(a.assigned), n(a.sent), n(a.feedback.opened), n(a.feedback.clicked), n(a.converted), percent(a.conversionRate), a.lift ? percent(a.lift.value) : '', interval(a.lift?.interval), a.pValue === undefined ? '' : a.pValue.toFixed(4), percent(a.probabilityBest)]),
      ),
      '',
      e.method,
    );
  }
  return `${lines.join('\n')}\n`;
}
