import { loadProfile } from './profile-writes';
import type { WebhookTask } from '../../statemachines/contract';
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { Clock, HttpCaller, ProfileStore, SecretStore } from '../ports';
import { parseDuration } from '../../statemachines/schema/duration';
import { DomainError } from './errors';
import type { Action } from './action-schema';
import { nextVisit } from './visits';

/** The payload of a webhook step's task. */
export type { WebhookTask };

// Matched by the Retry and Catch of webhook steps.
export class WebhookRetryableError extends DomainError {
  override readonly name = 'WebhookRetryableError';
}
export class WebhookFailedError extends DomainError {
  override readonly name = 'WebhookFailedError';
}

export interface WebhookDeps {
  actions: { get(name: string): Action | undefined };
  profiles: ProfileStore;
  secrets: SecretStore;
  http: HttpCaller;
  clock: Clock;
}

const hbs = Handlebars.create();
const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;
const render = (source: string, scope: object, escape: (s: string) => string) =>
  hbs.compile(source, { strict: false, noEscape: true, knownHelpersOnly: true, knownHelpers: { if: true, unless: true, each: true, with: true, lookup: true } })(
    JSON.parse(JSON.stringify(scope), (_k, v) => (typeof v === 'string' ? escape(v) : v)),
    RUNTIME,
  );
// Values go into JSON strings in the body, and into the URL's path and query.
const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * Calls a named action once per visit, as far as the receiver honours `Idempotency-Key` (the same on every
 * retry). 2xx: done. 429 and 5xx: retried by the state machine. Anything else, a timeout, or an address the
 * guard refuses: the step's error path.
 */
export async function callWebhook(task: WebhookTask, deps: WebhookDeps): Promise<{ visit: number; status: number }> {
  const visit = nextVisit(task.steps, task.stepId);
  const action = deps.actions.get(task.action);
  if (!action) throw new WebhookFailedError(`no action "${task.action}"`);
  const profile = await loadProfile(deps.profiles, task.profileId);
  const scope = { profile: { id: task.profileId, attributes: profile?.attributes ?? {} }, event: task.event, journey: { id: task.journey.id, step: task.stepId } };

  const declared = new URL(action.url.replace(/\{\{[^}]*\}\}/g, 'x'));
  const url = new URL(render(action.url, scope, encodeURIComponent));
  if (url.host !== declared.host || url.protocol !== declared.protocol) throw new WebhookFailedError('the rendered URL left the action\'s host');

  const headers: Record<string, string> = { 'idempotency-key': createHash('sha256').update(`${task.runId}#${task.stepId}#${visit}`).digest('hex').slice(0, 40) };
  for (const [name, value] of Object.entries(action.headers)) {
    const resolved = typeof value === 'string' ? value : await deps.secrets.get(value.secret);
    if (resolved === undefined) throw new WebhookFailedError(`secret "${(value as { secret: string }).secret}" is not set`);
    headers[name.toLowerCase()] = resolved;
  }
  const body = action.body === undefined ? undefined : render(action.body, scope, jsonEscape);
  const timeout = parseDuration(action.timeout);

  let status: number;
  try {
    ({ status } = await deps.http.call({ method: action.method, url: url.toString(), headers, ...(body !== undefined ? { body } : {}), timeoutMs: (timeout.ok ? timeout.seconds : 10) * 1000 }));
  } catch (error) {
    throw new WebhookFailedError(`${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
  if (status >= 200 && status < 300) return { visit, status };
  if (status === 429 || status >= 500) throw new WebhookRetryableError(`the receiver answered ${status}`);
  throw new WebhookFailedError(`the receiver answered ${status}`);
}
