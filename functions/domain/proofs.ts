import type { Deliverer, Clock } from '../ports';
import { rendererOf, type MessageTemplate, type TemplateScope } from './templates';
import type { TemplateOf } from '../../statemachines/schema/template';

// Seeing a message before it goes out: a preview renders a template for a profile (the CLI's `jo render`, the
// API's POST /templates/{id}/preview); a proof sends that rendering to the addresses of a proof list, marked as
// a proof, outside journeys, reports, frequency caps and the send ledger (a proof is not a send to the person).

export interface PreviewInput {
  profile: { id: string; attributes: Record<string, unknown> };
  event?: unknown;
  context?: Record<string, unknown>;
  /** Renders this locale's variant, whatever the profile's. */
  locale?: string;
  /** The profile's signed links, when the caller can sign them (shown as placeholders otherwise). */
  links?: { unsubscribeUrl: string; preferencesUrl: string };
}

export interface Preview {
  template: string;
  channel: MessageTemplate['channel'];
  /** The variant rendered: a locale tag, or `default`. */
  locale: string;
  fields: Record<string, string>;
}

const PLACEHOLDER_LINKS = { unsubscribeUrl: 'https://unsubscribe.example/preview', preferencesUrl: 'https://preferences.example/preview' };

/** A template rendered for a profile (and an event, a campaign's context), as a send would render it. */
export function previewTemplate(name: string, template: MessageTemplate, input: PreviewInput): Preview {
  const attributes = input.locale ? { ...input.profile.attributes, locale: input.locale } : input.profile.attributes;
  const scope: TemplateScope = {
    profile: { id: input.profile.id, attributes },
    event: input.event ?? {},
    journey: { id: 'preview', step: name },
    context: input.context ?? {},
    offers: [],
    decisions: {},
    ...(input.links ?? PLACEHOLDER_LINKS),
  };
  const { fields, locale } = rendererOf(template)(scope);
  return { template: name, channel: template.channel, locale, fields };
}

export const PROOF_PREFIX = '[Proof] ';

export interface ProofDeps {
  mailer: Deliverer<'email'>;
  proofLists: Readonly<Record<string, readonly string[]>>;
  clock: Clock;
  newId(): string;
}

export class ProofError extends Error {
  override readonly name = 'ProofError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends a preview of an email template to every address of a proof list, its subject marked as a proof. */
export async function sendProof(name: string, template: MessageTemplate, list: string, input: PreviewInput, deps: ProofDeps): Promise<{ preview: Preview; list: string; sent: Array<{ to: string; messageId: string }> }> {
  if (template.channel !== 'email') throw new ProofError('template', `proofs go by email; "${name}" is a ${template.channel} template (preview it instead)`);
  if (!Object.hasOwn(deps.proofLists, list)) {
    const known = Object.keys(deps.proofLists);
    throw new ProofError('list', `no proof list "${list}" in rules.json proofLists${known.length ? `; lists are: ${known.join(', ')}` : ' (add one: { "proofLists": { "team": ["you@example.com"] } })'}`);
  }
  const preview = previewTemplate(name, template, input);
  const proofId = deps.newId();
  const sent: Array<{ to: string; messageId: string }> = [];
  for (const to of deps.proofLists[list]!) {
    const fields = preview.fields as { subject: string; html?: string; text?: string };
    const { messageId } = await deps.mailer.deliver({
      ...fields,
      subject: `${PROOF_PREFIX}${fields.subject}`,
      to,
      key: `proof#${proofId}#${to}`,
      template: template as TemplateOf<'email'>,
      tags: { proof: 'true', template: name.replace(/[^A-Za-z0-9_-]/g, '_'), locale: preview.locale },
    });
    sent.push({ to, messageId });
  }
  return { preview, list, sent };
}
