import type { Workspace } from '../workspace/load';
import { PROVIDER_CHANNELS, type ProviderChannel } from './constructs/message-channels';

// What `cdk synth` / `cdk deploy` read from context and refuse before building anything: a deployment that
// would succeed and then not send (no From address, one nobody can verify, a template for a channel left out).

/** A mistake in the CDK context: printed as it is, with what to pass instead. */
export class DeployContextError extends Error {
  override readonly name = 'DeployContextError';
}

// RFC 2606 / 6761 names: no one can verify them in SES.
const RESERVED = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/i;

/**
 * The From address a deployment sends from: required (the stacks and local runs have defaults, a deployment
 * has none), an address at a domain that can be verified in SES.
 */
export function deploymentFromAddress(value: unknown): string {
  const hint = 'pass the verified SES identity to send from: npx cdk deploy --all -c fromAddress=no-reply@yourdomain.com';
  if (value === undefined || value === '') throw new DeployContextError(`fromAddress: not set; ${hint}`);
  const address = String(value);
  const domain = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(address)?.[1];
  if (!domain) throw new DeployContextError(`fromAddress: "${address}" is not an email address; ${hint}`);
  if (RESERVED.test(domain)) throw new DeployContextError(`fromAddress: ${domain} is a reserved example domain that SES cannot verify; ${hint}`);
  return address;
}

/**
 * The provider channels to deploy, from context `channels` (a comma list; default all). Email is always
 * deployed. A template of a channel left out is refused by name, so nothing is deployed that cannot send.
 */
export function deployedChannels(value: unknown, workspace: Pick<Workspace, 'templates'>): ProviderChannel[] {
  if (value === undefined || value === '') return [...PROVIDER_CHANNELS];
  const names = String(value).split(',').map((c) => c.trim()).filter(Boolean);
  const unknown = names.filter((c) => !(PROVIDER_CHANNELS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new DeployContextError(`channels: ${unknown.join(', ')} is not a channel to deploy; use a comma list of ${PROVIDER_CHANNELS.join(', ')} (inApp needs no provider and is always on)`);
  if (!names.includes('email')) throw new DeployContextError('channels: email is always deployed (delivery feedback, unsubscribe); list it, such as -c channels=email,sms');
  const channels = names as ProviderChannel[];
  const missing = Object.entries(workspace.templates).filter(([, t]) => (PROVIDER_CHANNELS as readonly string[]).includes(t.channel) && !channels.includes(t.channel as ProviderChannel));
  if (missing.length > 0) {
    const needed = [...new Set([...channels, ...missing.map(([, t]) => t.channel)])];
    throw new DeployContextError(`channels: the workspace has templates for channels not deployed: ${missing.map(([id, t]) => `${id} (${t.channel})`).join(', ')}; add the channel (-c channels=${needed.join(',')}) or remove the templates`);
  }
  return channels;
}
