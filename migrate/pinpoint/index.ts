import type { CampaignResponse, EmailTemplateResponse, EndpointResponse, JourneyResponse, PushNotificationTemplateResponse, SegmentResponse, SMSTemplateResponse } from '@aws-sdk/client-pinpoint';
import { mapCampaign } from './campaigns';
import { endpointProfiles, type ExportedEndpoint, type ProfileLine } from './endpoints';
import { mapJourney, type ImportContext } from './journeys';
import { MigrationLog, renderReport, reportJson, slug } from './report';
import { channelScope, mapSegment } from './segments';
import { emailTemplate, pushTemplate, smsTemplate } from './templates';

// The whole import, pure: what the AWS CLI printed for Pinpoint (files by folder, already read) in, the files of
// a workspace out (path → content), with the migration report. cli/import.ts reads and writes the folders.

export interface ExportFile {
  /** As in the export folder: `journeys/welcome.json`, `endpoints/part-1.jsonl`. */
  path: string;
  text: string;
}

export interface PinpointImport {
  files: Record<string, string>;
  profiles: ProfileLine[];
  log: MigrationLog;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The objects a file holds: one response (`get-*`) or a page of several (`list-journeys`, `get-segments`). */
function itemsOf<T>(value: unknown, one: string, page: string): T[] {
  const v = value as Record<string, unknown>;
  if (v?.[one]) return [v[one] as T];
  const items = (v?.[page] as { Item?: T[] } | undefined)?.Item;
  return Array.isArray(items) ? items : [];
}

const TEMPLATE_KINDS = [
  { key: 'EmailTemplateResponse', channel: 'email' },
  { key: 'SMSTemplateResponse', channel: 'sms' },
  { key: 'PushNotificationTemplateResponse', channel: 'push' },
] as const;

/**
 * Members the REST API spells otherwise than the AWS CLI and the SDK (the model's jsonName), by that spelling:
 * an export taken with either reads the same.
 */
const WIRE_NAMES: Record<string, string> = { segmentDimensions: 'SegmentDimensions' };
/** Members whose keys are names of the user's (attributes, activities), never renamed. */
const MAPS = new Set(['Attributes', 'UserAttributes', 'Metrics', 'Activities', 'tags', 'Tags', 'CustomConfig', 'Substitutions']);

/** A parsed export with the REST API's spellings made the CLI's. */
export function cliSpelling(value: unknown, inMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => cliSpelling(v));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const name = inMap ? k : (WIRE_NAMES[k] ?? k);
      return [name, inMap ? cliSpelling(v) : cliSpelling(v, MAPS.has(name))];
    }),
  );
}

/**
 * `schemaRoot`: docs/schema/ relative to the output workspace, so each file names its JSON Schema (`$schema`)
 * for editors; left out, files name none.
 */
export function importPinpoint(files: readonly ExportFile[], options: { schemaRoot?: string; now?: Date } = {}): PinpointImport {
  const log = new MigrationLog();
  // Files in a folder of the workspace are one level further from it.
  const schema = (kind: string, top = false) => (options.schemaRoot ? { $schema: `${top ? '' : '../'}${options.schemaRoot}/${kind}.schema.json` } : {});
  const parsed: Array<{ file: ExportFile; value: unknown }> = [];
  const endpoints: ExportedEndpoint[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    if (file.path.startsWith('endpoints/')) {
      // An export job of a segment (endpoints/segment-<id>...) lists its members.
      const segment = /^endpoints\/segment-([A-Za-z0-9]+)/.exec(file.path)?.[1];
      file.text.split('\n').forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          const endpoint = cliSpelling(JSON.parse(line)) as EndpointResponse;
          if (typeof endpoint !== 'object' || endpoint === null || typeof endpoint.Id !== 'string') throw new Error('not an endpoint (no Id)');
          const where = log.item('endpoint', endpoint.Id, `${file.path}:${i + 1}`);
          endpoints.push({ endpoint, segments: segment ? [segment] : [], where });
        } catch (error) {
          log.attend(`${file.path}:${i + 1}`, `not read: ${(error as Error).message}`);
        }
      });
      continue;
    }
    try {
      parsed.push({ file, value: cliSpelling(JSON.parse(file.text)) });
    } catch (error) {
      log.attend(file.path, `not read: ${(error as Error).message.replace(/\s+/g, ' ')}`);
    }
  }
  const out: Record<string, string> = {};
  const ctx: ImportContext = { log, templates: new Map(), segments: new Map(), scopes: new Map(), ids: new Set(), quietTimes: [], unquiet: [], now: options.now ?? new Date() };

  // Templates first (journeys and campaigns name them), then segments (audiences), then the rest.
  const templateNames = new Set<string>();
  for (const { file, value } of parsed) {
    for (const { key, channel } of TEMPLATE_KINDS) {
      const t = (value as Record<string, unknown>)[key] as (EmailTemplateResponse & SMSTemplateResponse & PushNotificationTemplateResponse) | undefined;
      if (!t) continue;
      const name = slug(t.TemplateName ?? 'template', templateNames);
      const where = log.item(`${channel} template`, t.TemplateName ?? name, file.path, { to: `templates/${name}.json` });
      const written = channel === 'email' ? emailTemplate(t, where, log) : channel === 'sms' ? smsTemplate(t, where, log) : pushTemplate(t, where, log);
      out[`templates/${name}.json`] = json({ ...schema('template'), ...written });
      ctx.templates.set(`${channel}:${t.TemplateName}`, name);
      log.count(`${channel} templates`);
    }
  }
  const segments = parsed.flatMap(({ file, value }) => itemsOf<SegmentResponse>(value, 'SegmentResponse', 'SegmentsResponse').map((s) => ({ file, s })));
  for (const { s } of segments) if (s.Id) ctx.segments.set(s.Id, slug(s.Name ?? s.Id, ctx.ids));
  const members = new Set(endpoints.flatMap((e) => e.segments));
  for (const { file, s } of segments) {
    const id = ctx.segments.get(s.Id ?? '') ?? slug(s.Name ?? 'segment', ctx.ids);
    const scope = channelScope(s);
    if (s.Id && scope) ctx.scopes.set(s.Id, scope);
    out[`audiences/${id}.json`] = json({ ...schema('audience'), ...mapSegment(s, id, ctx.segments, file.path, log, members) });
  }
  for (const { file, value } of parsed) {
    for (const j of itemsOf<JourneyResponse>(value, 'JourneyResponse', 'JourneysResponse')) {
      const { journey, campaign } = mapJourney(j, file.path, ctx);
      out[`journeys/${journey.id as string}.json`] = json({ ...schema('journey'), ...journey });
      if (campaign) out[`campaigns/${campaign.id as string}.json`] = json({ ...schema('campaign'), ...campaign });
    }
    for (const c of itemsOf<CampaignResponse>(value, 'CampaignResponse', 'CampaignsResponse')) {
      const result = mapCampaign(c, file.path, ctx);
      for (const [name, t] of Object.entries(result.templates)) out[`templates/${name}.json`] = json({ ...schema('template'), ...t });
      if (result.journey) out[`journeys/${result.journey.id as string}.json`] = json({ ...schema('journey'), ...result.journey });
      if (result.campaign) out[`campaigns/${result.campaign.id as string}.json`] = json({ ...schema('campaign'), ...result.campaign });
    }
    const known = ['JourneyResponse', 'JourneysResponse', 'CampaignResponse', 'CampaignsResponse', 'SegmentResponse', 'SegmentsResponse', ...TEMPLATE_KINDS.map((k) => k.key)];
    if (!Object.keys(value as object).some((k) => known.includes(k))) log.attend(file.path, `not a Pinpoint response this import reads (${Object.keys(value as object).join(', ') || 'empty'})`);
  }
  // One quiet window for the workspace: the first asked for; others are reported.
  const quiet = ctx.quietTimes[0];
  for (const q of ctx.quietTimes.slice(1)) if (q.start !== quiet!.start || q.end !== quiet!.end) log.attend(q.where, `quiet time ${q.start}-${q.end} differs from ${quiet!.start}-${quiet!.end}, the one rules.json keeps`);
  if (quiet) for (const where of ctx.unquiet) log.change(where, `no quiet time in Pinpoint: here the workspace's quiet hours (${quiet.start}-${quiet.end} where the person is, rules.json) hold its marketing messages back too`);
  out['rules.json'] = json({ ...schema('rules', true), ...(quiet ? { quietHours: { start: quiet.start, end: quiet.end, categories: ['marketing'] } } : {}) });
  const profiles = endpointProfiles(endpoints, log);
  out['profiles.jsonl'] = profiles.map((p) => JSON.stringify(p)).join('\n') + (profiles.length ? '\n' : '');
  out['migration-report.md'] = renderReport(log, 'Migration from Amazon Pinpoint');
  out['migration-report.json'] = reportJson(log);
  return { files: out, profiles, log };
}
