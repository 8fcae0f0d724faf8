import { createHash } from 'node:crypto';
import type * as z from 'zod';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { audienceSchema, campaignSchema, orderAudiences, issueMessage, type Audience, type Campaign } from '../statemachines';
import { Cron } from 'croner';
import { frequencyCapsOf, rulesSchema, type JourneyCap, type Rules } from '../functions/domain/rules';
import { modelSchema, type Model } from '../statemachines/schema/model';
import { ENGAGEMENT_JOB } from '../functions/domain/learn-jobs';
import { decisionSchema, offerSchema, placementSchema, type Decision, type Offer, type Placement } from '../functions/domain/offers';
import type { FrequencyCap } from '../functions/ports';
import { buildJourney, executionMode, jsonPath, JourneyValidationError, renderDefinition, type Journey, type StateMachineDefinition } from '../statemachines';
import { checkTemplateSyntax } from '../functions/domain/templates';
import { messageTemplateSchema, type MessageTemplate } from '../statemachines';
import { readTemplateParts, resolveTemplate } from './templates';
import { attributeCheck, attributesFileSchema, checkPredicateAttributes, type AttributeCheck, type Attributes } from './attributes';
import { didYouMean } from '../statemachines/suggest';
import { actionSchema, type Action } from '../functions/domain/action-schema';

// Reads a workspace folder (journeys/*.json, templates/*.json), checks every file and compiles every journey.
// All problems of all files are collected and reported together.

export interface WorkspaceIssue {
  file: string;
  path: string;
  code: string;
  message: string;
}

export interface CompiledJourney {
  file: string;
  journey: Journey;
  definition: StateMachineDefinition;
  /** The definition as deployed (compact JSON): byte-identical for the same journey. */
  asl: string;
  /** Names this definition: the first 12 hex digits of the SHA-256 of `asl`. */
  version: string;
  /** How it runs: Express segments (the default) or one Standard execution per entrant. */
  mode: 'express' | 'standard';
}

export interface Workspace {
  root: string;
  journeys: CompiledJourney[];
  templates: Record<string, MessageTemplate>;
  /** Named custom actions (actions/<name>.json) that webhook steps call. */
  actions: Record<string, Action>;
  /** Audiences (audiences/<id>.json), each after the audiences it refers to. */
  audiences: Audience[];
  /** Campaigns (campaigns/<id>.json). */
  campaigns: Record<string, Campaign>;
  /** Offer decisioning: offers/, placements/, decisions/. */
  offers: Offer[];
  placements: Record<string, Placement>;
  decisions: Record<string, Decision>;
  /** Business rules (rules.json), as every send applies them. */
  frequencyCaps: FrequencyCap[];
  /** rules.json journeyCaps: entries per profile, checked by the starter. */
  journeyCaps: JourneyCap[];
  /** Lists that need consent before a send (rules.json consent.optIn). */
  optInLists: string[];
  /** rules.json deliverability guard thresholds. */
  deliverability: Rules['deliverability'];
  /** rules.json quiet hours, when set (message steps then compile with a wait-and-retry loop). */
  quietHours?: Rules['quietHours'];
  /** rules.json proof lists: addresses that get test sends of a template. */
  proofLists: Rules['proofLists'];
  /** The lists a profile may leave or join on its preference page: the categories of templates, and opt-in lists. */
  lists: string[];
  /** attributes.json, when the workspace has one (profile writes are then checked against it). */
  attributes?: Attributes;
  /** Propensity models (models/<id>.json). */
  models: Model[];
}

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(readonly issues: readonly WorkspaceIssue[]) {
    super(`${issues.length} problem(s) in the workspace:\n${issues.map(formatWorkspaceIssue).join('\n')}`);
  }
}

export const formatWorkspaceIssue = (i: WorkspaceIssue) => `  ${i.file} ${i.path}: ${i.code}: ${i.message}`;

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** A file's JSON, without the `$schema` an editor reads (docs/schema/). */
function readJson(file: string, label: string, issues: WorkspaceIssue[]): unknown {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value) && '$schema' in value) {
      const { $schema: _schema, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  } catch (error) {
    issues.push({ file: label, path: '$', code: 'invalid-json', message: (error as Error).message });
    return undefined;
  }
}

/** Checks the Handlebars syntax of a file's template fields; Handlebars' whole message, on one line. */
function checkSyntax(file: string, sources: Record<string, string | undefined>, issues: WorkspaceIssue[]): void {
  for (const [field, source] of Object.entries(sources)) {
    if (source === undefined) continue;
    try {
      checkTemplateSyntax(source);
    } catch (error) {
      issues.push({ file, path: `$.${field}`, code: 'template-syntax', message: (error as Error).message.replace(/\s*\n\s*/g, ' ') });
    }
  }
}

/** The files of a folder of named definitions (<name>.json): each checked by its schema, then its templates. */
function loadFolder<S extends z.ZodType>(
  root: string,
  folder: string,
  schema: S,
  templatesOf: (item: z.output<S>) => Record<string, string | undefined>,
  issues: WorkspaceIssue[],
): Record<string, z.output<S>> {
  const items: Record<string, z.output<S>> = {};
  for (const file of jsonFiles(join(root, folder))) {
    const label = relative(root, file);
    const raw = readJson(file, label, issues);
    if (raw === undefined) continue;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push({ file: label, path: jsonPath(i.path), code: 'invalid-field', message: issueMessage(i) });
      continue;
    }
    checkSyntax(label, templatesOf(parsed.data), issues);
    items[basename(file, '.json')] = parsed.data;
  }
  return items;
}

/** templates/<name>.json, each resolved (fragments, layout, MJML) and checked: see templates.ts. */
export function loadTemplates(root: string, issues: WorkspaceIssue[], attributes?: AttributeCheck): Record<string, MessageTemplate> {
  const files = loadFolder(root, 'templates', messageTemplateSchema, () => ({}), issues);
  const parts = readTemplateParts(root);
  const templates: Record<string, MessageTemplate> = {};
  for (const [name, file] of Object.entries(files)) {
    const found: Array<{ path: string; code: string; message: string }> = [];
    const template = resolveTemplate(file, parts, attributes, found);
    issues.push(...found.map((i) => ({ file: `templates/${name}.json`, ...i })));
    if (template) templates[name] = template;
  }
  return templates;
}

/** attributes.json (optional): the declared profile attributes. */
export function loadAttributes(root: string, issues: WorkspaceIssue[]): Attributes | undefined {
  const file = join(root, 'attributes.json');
  if (!existsSync(file)) return undefined;
  const raw = readJson(file, 'attributes.json', issues);
  if (raw === undefined) return undefined;
  const parsed = attributesFileSchema.safeParse(raw);
  if (parsed.success) return parsed.data.attributes;
  for (const i of parsed.error.issues) issues.push({ file: 'attributes.json', path: jsonPath(i.path), code: 'invalid-field', message: issueMessage(i) });
  return undefined;
}

export const loadActions = (root: string, issues: WorkspaceIssue[]): Record<string, Action> =>
  loadFolder(root, 'actions', actionSchema, (a) => ({ url: a.url, body: a.body }), issues);

/** audiences/<id>.json: the file name is the id; references and cycles are checked across files. */
export function loadAudiences(root: string, issues: WorkspaceIssue[]): Audience[] {
  const files = loadFolder(root, 'audiences', audienceSchema, () => ({}), issues);
  const list: Audience[] = [];
  for (const [name, audience] of Object.entries(files)) {
    if (audience.id !== name) issues.push({ file: `audiences/${name}.json`, path: '$.id', code: 'invalid-field', message: `the id must be the file name, "${name}"` });
    else list.push(audience);
  }
  const order = orderAudiences(list);
  if (order.ok) return order.ordered;
  issues.push(...order.issues.map((i) => ({ file: `audiences/${i.id}.json`, path: i.path, code: i.code, message: i.message })));
  return [];
}

/** models/<id>.json: the file name is the id; `engagement` names the send-time learning job. */
export function loadModels(root: string, issues: WorkspaceIssue[]): Model[] {
  const files = loadFolder(root, 'models', modelSchema, () => ({}), issues);
  return Object.entries(files).flatMap(([name, model]) => {
    const problem = model.id !== name ? `the id must be the file name, "${name}"` : model.id === ENGAGEMENT_JOB ? `"${ENGAGEMENT_JOB}" is the send-time learning job's name: choose another id` : undefined;
    if (problem) issues.push({ file: `models/${name}.json`, path: '$.id', code: 'invalid-field', message: problem });
    return problem ? [] : [model];
  });
}

/** Every `profile.scores.<model>` a file's predicates read must name a model of models/. */
function checkScorePaths(file: string, value: unknown, models: ReadonlySet<string>, at: Array<string | number> = []): WorkspaceIssue[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => checkScorePaths(file, v, models, [...at, i]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const model = k === 'path' && typeof v === 'string' ? /^profile\.scores\.([^.]+)/.exec(v)?.[1] : undefined;
    if (model !== undefined && !models.has(model)) return [{ file, path: jsonPath([...at, k]), code: 'unknown-model', message: `no model "${model}" in models/${didYouMean(model, models)}` }];
    return checkScorePaths(file, v, models, [...at, k]);
  });
}

/** campaigns/<id>.json: their audience, template (of the right channel) or journey must exist; cron must parse. */
export function loadCampaigns(
  root: string,
  known: { templates: Record<string, MessageTemplate>; files: ReadonlySet<string>; audiences: readonly Audience[]; journeys: ReadonlySet<string> },
  issues: WorkspaceIssue[],
): Record<string, Campaign> {
  const files = loadFolder(root, 'campaigns', campaignSchema, () => ({}), issues);
  const campaigns: Record<string, Campaign> = {};
  for (const [name, c] of Object.entries(files)) {
    const file = `campaigns/${name}.json`;
    const fail = (path: string, code: string, message: string) => issues.push({ file, path, code, message });
    const before = issues.length;
    if (c.id !== name) fail('$.id', 'invalid-field', `the id must be the file name, "${name}"`);
    if (c.audience && !known.audiences.some((a) => a.id === c.audience)) fail('$.audience', 'unknown-audience', `no audience "${c.audience}"${didYouMean(c.audience, known.audiences.map((a) => a.id))}; audiences are: ${known.audiences.map((a) => a.id).join(', ')}`);
    const messages = [...(c.message ? [['message', c.message] as const] : []), ...(c.treatments ?? []).map((t, i) => [`treatments[${i}].message`, t.message] as const)];
    for (const [at, message] of messages) {
      // A template file with mistakes of its own has them reported on it.
      if (known.files.has(message.template) && !known.templates[message.template]) continue;
      const t = known.templates[message.template];
      if (!t) fail(`$.${at}.template`, 'missing-template', `no template "${message.template}" in templates/${didYouMean(message.template, Object.keys(known.templates))}`);
      else if (t.channel !== message.channel) fail(`$.${at}.template`, 'missing-template', `template "${message.template}" is a ${t.channel} template, not ${message.channel}`);
    }
    if (c.journey && !known.journeys.has(c.journey)) fail('$.journey', 'unknown-journey', `no journey "${c.journey}" in the workspace${didYouMean(c.journey, known.journeys)}`);
    if (c.schedule?.cron) {
      try {
        new Cron(c.schedule.cron, { paused: true, timezone: c.schedule.timeZone });
      } catch (error) {
        fail('$.schedule.cron', 'invalid-field', (error as Error).message);
      }
    }
    if (issues.length === before) campaigns[c.id] = c;
  }
  return campaigns;
}

/** offers/, placements/, decisions/: content only for known placements; decisions name a placement and a fallback that exist. */
export function loadOffers(root: string, issues: WorkspaceIssue[]) {
  const placements = loadFolder(root, 'placements', placementSchema, () => ({}), issues);
  const offerFiles = loadFolder(root, 'offers', offerSchema, () => ({}), issues);
  const decisionFiles = loadFolder(root, 'decisions', decisionSchema, () => ({}), issues);
  const offers: Offer[] = [];
  for (const [name, offer] of Object.entries(offerFiles)) {
    const file = `offers/${name}.json`;
    if (offer.id !== name) issues.push({ file, path: '$.id', code: 'invalid-field', message: `the id must be the file name, "${name}"` });
    for (const placement of Object.keys(offer.content)) {
      if (!Object.hasOwn(placements, placement)) issues.push({ file, path: jsonPath(['content', placement]), code: 'unknown-placement', message: `no placement "${placement}" in placements/${didYouMean(placement, Object.keys(placements))}` });
    }
    offers.push(offer);
  }
  const decisions: Record<string, Decision> = {};
  for (const [name, decision] of Object.entries(decisionFiles)) {
    const file = `decisions/${name}.json`;
    const before = issues.length;
    if (decision.id !== name) issues.push({ file, path: '$.id', code: 'invalid-field', message: `the id must be the file name, "${name}"` });
    if (!Object.hasOwn(placements, decision.placement)) issues.push({ file, path: '$.placement', code: 'unknown-placement', message: `no placement "${decision.placement}" in placements/${didYouMean(decision.placement, Object.keys(placements))}` });
    if (!offers.some((o) => o.id === decision.fallback)) issues.push({ file, path: '$.fallback', code: 'unknown-offer', message: `no offer "${decision.fallback}" in offers/${didYouMean(decision.fallback, offers.map((o) => o.id))}` });
    if (issues.length === before) decisions[decision.id] = decision;
  }
  return { offers, placements, decisions };
}

/** rules.json (optional): frequency caps, consent lists. */
export function loadRules(root: string, issues: WorkspaceIssue[]): Rules {
  const none = rulesSchema.parse({});
  const file = join(root, 'rules.json');
  if (!existsSync(file)) return none;
  const raw = readJson(file, 'rules.json', issues);
  if (raw === undefined) return none;
  const parsed = rulesSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ file: 'rules.json', path: jsonPath(i.path), code: 'invalid-field', message: issueMessage(i) });
    return none;
  }
  return parsed.data;
}

/** Loads and compiles a workspace; throws WorkspaceError listing every problem. */
export function loadWorkspace(root: string, only?: readonly string[], options: { execution?: 'express' | 'standard' } = {}): Workspace {
  const issues: WorkspaceIssue[] = [];
  if (!existsSync(join(root, 'journeys'))) {
    throw new WorkspaceError([{ file: root, path: '', code: 'not-a-workspace', message: 'no journeys/ folder here' }]);
  }
  const attributes = loadAttributes(root, issues);
  const check = attributes ? attributeCheck(attributes) : undefined;
  const templates = loadTemplates(root, issues, check);
  // Every file names a template, action or decision, even one with mistakes: a journey naming it is told about
  // the file's mistakes (reported on the file), not that it does not exist.
  const named = (folder: string) => jsonFiles(join(root, folder)).map((f) => basename(f, '.json'));
  const names = new Map<string, string | undefined>([...named('templates').map((n): [string, undefined] => [n, undefined]), ...Object.entries(templates).map(([name, t]): [string, string] => [name, t.channel])]);
  const actions = loadActions(root, issues);
  const audiences = loadAudiences(root, issues);
  const rules = loadRules(root, issues);
  const { offers, placements, decisions } = loadOffers(root, issues);
  const models = loadModels(root, issues);
  const journeys: CompiledJourney[] = [];
  const files = only && only.length > 0 ? [...only] : jsonFiles(join(root, 'journeys'));
  for (const file of files) {
    const label = relative(root, file) || file;
    const raw = readJson(file, label, issues);
    if (raw === undefined) continue;
    try {
      const { journey, definition } = buildJourney(raw, { templates: names, actions: new Set([...named('actions'), ...Object.keys(actions)]), decisions: new Set([...named('decisions'), ...Object.keys(decisions)]), file: label, quietHours: rules.quietHours !== undefined, ...(options.execution ? { execution: options.execution } : {}) });
      const clash = journeys.find((j) => j.journey.id === journey.id);
      if (clash) issues.push({ file: label, path: '$.id', code: 'duplicate-id', message: `journey id "${journey.id}" is used by ${clash.file} too` });
      else {
        const asl = renderDefinition(definition);
        journeys.push({ file: label, journey, definition, asl, version: createHash('sha256').update(asl).digest('hex').slice(0, 12), mode: executionMode(journey, options) });
      }
    } catch (error) {
      if (!(error instanceof JourneyValidationError)) throw error;
      issues.push(...error.issues.map((i) => ({ file: label, ...i })));
    }
  }
  // Jumps name other journeys: checked once all are known.
  const ids = new Set(journeys.map((j) => j.journey.id));
  for (const { file, journey } of only && only.length > 0 ? [] : journeys) {
    for (const [id, step] of Object.entries(journey.steps)) {
      if (step.type === 'jump' && !ids.has(step.journey)) {
        issues.push({ file, path: jsonPath(['steps', id, 'journey']), code: 'unknown-journey', message: `no journey "${step.journey}" in the workspace${didYouMean(step.journey, ids)}; journeys are: ${[...ids].join(', ')}` });
      }
    }
  }
  const campaigns = only && only.length > 0 ? {} : loadCampaigns(root, { templates, files: new Set(named('templates')), audiences, journeys: ids }, issues);
  // A journey with no entry event of its own is entered by a jump step or a campaign: one must name it.
  if (!(only && only.length > 0)) {
    const entered = new Set([...journeys.flatMap(({ journey }) => Object.values(journey.steps).flatMap((s) => (s.type === 'jump' ? [s.journey] : []))), ...Object.values(campaigns).flatMap((c) => (c.journey ? [c.journey] : []))]);
    for (const { file, journey } of journeys) {
      if (journey.entry.event === undefined && !entered.has(journey.id)) {
        issues.push({ file, path: '$.entry.event', code: 'unreachable-journey', message: 'nothing enters this journey: give it an entry event, or name it in a jump step or a campaign (journey)' });
      }
    }
  }
  // With attributes.json, predicates name declared attributes only (entry conditions, conditions, audiences, offers).
  issues.push(
    ...journeys.flatMap(({ file, journey }) => checkPredicateAttributes(file, journey, check)),
    ...audiences.flatMap((a) => checkPredicateAttributes(`audiences/${a.id}.json`, a, check)),
    ...offers.flatMap((o) => checkPredicateAttributes(`offers/${o.id}.json`, o, check)),
  );
  // Scores read in predicates and offer formulas name models of the workspace.
  const modelIds = new Set(models.map((m) => m.id));
  issues.push(
    ...journeys.flatMap(({ file, journey }) => checkScorePaths(file, journey, modelIds)),
    ...audiences.flatMap((a) => checkScorePaths(`audiences/${a.id}.json`, a, modelIds)),
    ...offers.flatMap((o) => checkScorePaths(`offers/${o.id}.json`, o, modelIds)),
    ...Object.entries(decisions).flatMap(([id, d]) =>
      Object.keys(d.ranking.strategy === 'formula' ? (d.ranking.scores ?? {}) : {}).flatMap((m) => (modelIds.has(m) ? [] : [{ file: `decisions/${id}.json`, path: jsonPath(['ranking', 'scores', m]), code: 'unknown-model', message: `no model "${m}" in models/${didYouMean(m, modelIds)}` }])),
    ),
  );
  if (issues.length > 0) throw new WorkspaceError(issues);
  const lists = [...new Set([...Object.values(templates).flatMap((t) => (t.category && t.category !== 'transactional' ? [t.category] : [])), ...rules.consent.optIn])].sort();
  return {
    root,
    journeys,
    templates,
    actions,
    audiences,
    campaigns,
    offers,
    placements,
    decisions,
    frequencyCaps: frequencyCapsOf(rules),
    journeyCaps: rules.journeyCaps,
    optInLists: rules.consent.optIn,
    deliverability: rules.deliverability,
    ...(rules.quietHours ? { quietHours: rules.quietHours } : {}),
    proofLists: rules.proofLists,
    lists,
    ...(attributes ? { attributes } : {}),
    models,
  };
}
