import type { Clock, Mailer, ProfileStore, SendLedger, TemplateStore } from '../ports';
import { MailerError, PermanentSendError, SendInProgressError, SendThrottledError } from './errors';
import { compileEmailTemplate, type EmailRenderer } from './templates';
import { nextVisit, type StepVisits } from './visits';

/** The payload of a message step's Task (see statemachines/compile/steps/email.ts). */
export interface SendTask {
  channel: 'email';
  stepId: string;
  template: string;
  journey: { id: string };
  executionId: string;
  profileId: string;
  event: unknown;
  steps: StepVisits;
}

export interface SendResult {
  visit: number;
  status: 'sent' | 'skipped';
  reason?: string;
  messageId?: string;
}

export interface SendDeps {
  profiles: ProfileStore;
  ledger: SendLedger;
  mailer: Mailer;
  templates: TemplateStore;
  clock: Clock;
  /** A fresh id for this attempt, so only the attempt that holds a claim can finish or release it. */
  attemptId(): string;
}

/**
 * How long a claim protects a send in progress. Longer than the send function's timeout (20 s): an attempt
 * still `sending` after it was killed by the timeout, so its outcome is unknown.
 */
export const CLAIM_LEASE_MS = 60_000;

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

const renderers = new WeakMap<object, EmailRenderer>();

/**
 * Sends one email step exactly once per (execution, step, visit). The ledger is claimed before the provider
 * is called; a retry finds the outcome there. While another attempt holds a fresh claim, this one asks to be
 * retried later. A message the provider may have taken is never sent again: if an attempt died between claim
 * and outcome (its lease ran out), the send is recorded as failed instead of risking a duplicate.
 */
export async function sendEmailStep(task: SendTask, deps: SendDeps): Promise<SendResult> {
  const visit = nextVisit(task.steps, task.stepId);
  const key = `${task.executionId}#${task.stepId}#${visit}`;
  const attempt = deps.attemptId();
  const meta = { journeyId: task.journey.id, stepId: task.stepId, channel: task.channel, profileId: task.profileId };

  let existing = await deps.ledger.claim(key, attempt, meta);
  if (existing?.status === 'sending') {
    if (deps.clock.now().getTime() - Date.parse(existing.claimedAt) < CLAIM_LEASE_MS) {
      throw new SendInProgressError(`send ${task.stepId} visit ${visit} is in progress in another attempt`);
    }
    const taken = await deps.ledger.finish(key, existing.attempt, { status: 'failed', reason: 'outcome-unknown' });
    existing = taken ? { ...existing, status: 'failed', reason: 'outcome-unknown' } : await deps.ledger.read(key);
  }
  if (existing) {
    if (existing.status === 'sent' || existing.status === 'skipped') {
      return { visit, status: existing.status, ...(existing.reason ? { reason: existing.reason } : {}), ...(existing.messageId ? { messageId: existing.messageId } : {}) };
    }
    throw new PermanentSendError(`send ${task.stepId} visit ${visit} failed earlier: ${existing.reason ?? 'outcome-unknown'}`);
  }

  const profile = await deps.profiles.get(task.profileId);
  const to = profile?.attributes.email;
  if (typeof to !== 'string' || !EMAIL.test(to)) {
    await deps.ledger.finish(key, attempt, { status: 'skipped', reason: 'missing-address' });
    return { visit, status: 'skipped', reason: 'missing-address' };
  }
  const template = deps.templates.email(task.template);
  if (!template) {
    await deps.ledger.finish(key, attempt, { status: 'failed', reason: 'missing-template' });
    throw new PermanentSendError(`no email template "${task.template}"`);
  }
  let render = renderers.get(template);
  if (!render) {
    render = compileEmailTemplate(template);
    renderers.set(template, render);
  }
  const content = render({
    profile: { id: profile!.id, attributes: profile!.attributes },
    event: task.event,
    journey: { id: task.journey.id, step: task.stepId },
  });

  try {
    const { messageId } = await deps.mailer.send({ to, ...content, tags: { journey: task.journey.id, step: task.stepId } });
    await deps.ledger.finish(key, attempt, { status: 'sent', messageId });
    return { visit, status: 'sent', messageId };
  } catch (error) {
    if (!(error instanceof MailerError) || error.kind === 'unknown') {
      await deps.ledger.finish(key, attempt, { status: 'failed', reason: 'outcome-unknown' });
      throw new PermanentSendError('the provider may or may not have taken the message; not retried', { cause: error });
    }
    if (error.kind === 'rejected') {
      await deps.ledger.finish(key, attempt, { status: 'failed', reason: `rejected: ${error.message}` });
      throw new PermanentSendError(`rejected: ${error.message}`, { cause: error });
    }
    await deps.ledger.release(key, attempt);
    throw new SendThrottledError(`${error.kind}: ${error.message}`, { cause: error });
  }
}
