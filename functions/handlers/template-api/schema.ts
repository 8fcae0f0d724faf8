import * as z from 'zod';
import { localeTag } from '../../../statemachines/schema/template';

// The bodies of POST /templates/{id}/preview and /proof.

const common = {
  profileId: z.string().min(1).max(256).describe('The profile the template is rendered for (its attributes, its locale, its links).'),
  event: z.record(z.string(), z.unknown()).optional().describe('The event in scope ({{event.*}}), such as { "properties": { "orderId": "A-1" } }.'),
  context: z.record(z.string(), z.unknown()).optional().describe("A campaign's context ({{context.*}})."),
  locale: localeTag.optional().describe("Renders this locale's variant, whatever the profile's."),
};

export const previewSchema = z.strictObject(common).meta({ id: 'TemplatePreview' });
export const proofSchema = z.strictObject({ ...common, list: z.string().min(1).max(32).describe('A proof list of rules.json (proofLists).') }).meta({ id: 'TemplateProof' });
