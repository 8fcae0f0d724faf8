import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { previewTemplate, type Preview } from '../functions/domain/proofs';
import { didYouMean } from '../statemachines/suggest';
import { loadWorkspace } from '../workspace/load';

// jo render: a template as a send would render it, for a profile (and an event, a campaign's context), printed.

export interface RenderOptions {
  /** A template name (in the workspace) or its file, templates/<name>.json. */
  template: string;
  workspace?: string;
  profileFile: string;
  eventFile?: string;
  contextFile?: string;
  locale?: string;
}

const readJson = (file: string, what: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${what} ${file}: ${(error as Error).message}`);
  }
};

export function renderCommand(o: RenderOptions): Preview {
  const asFile = o.template.endsWith('.json') && existsSync(o.template);
  const name = asFile ? basename(o.template, '.json') : o.template;
  const root = resolve(o.workspace ?? (asFile ? dirname(dirname(resolve(o.template))) : 'examples/store'));
  const workspace = loadWorkspace(root);
  const template = workspace.templates[name];
  if (!template) throw new Error(`no template "${name}" in ${root}/templates${didYouMean(name, Object.keys(workspace.templates))}`);
  const profile = readJson(o.profileFile, '--profile') as { id?: unknown; attributes?: unknown };
  if (typeof profile?.id !== 'string' || typeof profile.attributes !== 'object' || profile.attributes === null) throw new Error(`--profile ${o.profileFile}: give { "id": "...", "attributes": { ... } }`);
  return previewTemplate(name, template, {
    profile: { id: profile.id, attributes: profile.attributes as Record<string, unknown> },
    ...(o.eventFile ? { event: readJson(o.eventFile, '--event') } : {}),
    ...(o.contextFile ? { context: readJson(o.contextFile, '--context') as Record<string, unknown> } : {}),
    ...(o.locale ? { locale: o.locale } : {}),
  });
}

export function formatPreview(p: Preview): string {
  const lines = [`${p.template}: ${p.channel}, locale ${p.locale}`];
  for (const [field, value] of Object.entries(p.fields)) lines.push(value.includes('\n') || value.length > 100 ? `--- ${field}\n${value}` : `${field}: ${value}`);
  return `${lines.join('\n')}\n`;
}
