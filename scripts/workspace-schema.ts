import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { audienceSchema, campaignSchema, journeySchema, messageTemplateSchema } from '../statemachines';
import { decisionSchema, offerSchema, placementSchema } from '../functions/domain/offers';
import { actionSchema } from '../functions/domain/action-schema';
import { rulesSchema } from '../functions/domain/rules';
import { attributesFileSchema } from '../functions/domain/attributes';
import { modelSchema } from '../statemachines/schema/model';

// A JSON Schema for each kind of workspace file, generated from the zod schemas the loader checks with, so an
// editor completes and checks them (the examples name theirs with "$schema"): `npm run docs`.

export const WORKSPACE_KINDS: Record<string, { schema: z.ZodType; title: string }> = {
  journey: { schema: journeySchema, title: 'A journey (journeys/<id>.json): docs/journey-language.md' },
  template: { schema: messageTemplateSchema, title: 'A message template (templates/<name>.json): docs/templates.md' },
  audience: { schema: audienceSchema, title: 'An audience (audiences/<id>.json)' },
  campaign: { schema: campaignSchema, title: 'A campaign (campaigns/<id>.json)' },
  offer: { schema: offerSchema, title: 'An offer (offers/<id>.json)' },
  placement: { schema: placementSchema, title: 'A placement (placements/<id>.json)' },
  decision: { schema: decisionSchema, title: 'A decision (decisions/<id>.json)' },
  action: { schema: actionSchema, title: 'A custom action (actions/<name>.json)' },
  rules: { schema: rulesSchema, title: 'Business rules (rules.json)' },
  attributes: { schema: attributesFileSchema, title: 'Profile attributes (attributes.json)' },
  model: { schema: modelSchema, title: 'A propensity model (models/<id>.json): docs/journey-language.md#models' },
};

export const SCHEMA_DIR = resolve(import.meta.dirname, '..', 'docs', 'schema');

type Json = Record<string, unknown>;

/** Every file may name its schema ("$schema"; the loader ignores the key): the top object, or each of its forms. */
function allowSchemaKey(node: Json, root: Json): void {
  const ref = typeof node.$ref === 'string' ? /^#\/\$defs\/(.+)$/.exec(node.$ref)?.[1] : undefined;
  if (ref) return allowSchemaKey((root.$defs as Record<string, Json>)[ref]!, root);
  if (node.properties) node.properties = { $schema: { type: 'string', description: 'This file\'s JSON Schema (docs/schema/), for editors' }, ...(node.properties as Json) };
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) for (const branch of (node[key] as Json[] | undefined) ?? []) allowSchemaKey(branch, root);
}

/** Each kind's schema file, by file name. */
export function workspaceSchemas(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [kind, { schema, title }] of Object.entries(WORKSPACE_KINDS)) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', reused: 'inline' }) as Record<string, unknown>;
    allowSchemaKey(json, json);
    files[`${kind}.schema.json`] = `${JSON.stringify({ ...json, $id: `${kind}.schema.json`, title }, null, 2)}\n`;
  }
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'workspace-schema.ts')) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(workspaceSchemas())) writeFileSync(join(SCHEMA_DIR, name), text);
  console.log(`wrote ${Object.keys(workspaceSchemas()).length} schemas to ${SCHEMA_DIR}`);
}
