import type { IdentityStore, Log, ReportCounters, Suppressions } from '../ports';
import { feedbackMetrics } from './reports';
import { guardVerdict, type DeliverabilityRules, type DeliverabilityStore } from './deliverability';
import type { TrackedEvent } from './events';
import { identityOf } from './identity';
import { ingest, type IngestDeps } from './ingest';

// Delivery feedback: SES configuration-set events (EventBridge "Email Bounced", "Email Complaint Received",
// "Email Delivered", "Email Opened", "Email Clicked"). A permanent bounce or a complaint suppresses the address;
// every event goes back into the profile as `email.<kind>`, so journeys can wait for it and audiences count it.

export interface SesEvent {
  eventType: string;
  mail: { messageId: string; destination: string[]; tags?: Record<string, string[]>; timestamp?: string };
  bounce?: { bounceType: string; bouncedRecipients: Array<{ emailAddress: string }> };
  complaint?: { complainedRecipients: Array<{ emailAddress: string }> };
  click?: { link: string };
}

const KINDS: Record<string, string> = { Bounce: 'bounced', Complaint: 'complained', Delivery: 'delivered', Open: 'opened', Click: 'clicked' };

export interface FeedbackDeps extends IngestDeps {
  identities: IdentityStore;
  suppressions: Suppressions;
  /** The deliverability guard: counts outcomes, holds marketing sends when the rates climb. */
  deliverability?: { store: DeliverabilityStore; rules: DeliverabilityRules; log?: Log };
  /** The report's delivery counts, by the journey (or campaign) and step the message came from. */
  reports?: ReportCounters;
}

export async function handleSesFeedback(event: SesEvent, deps: FeedbackDeps): Promise<{ suppressed: number; events: number }> {
  const kind = KINDS[event.eventType];
  if (!kind) return { suppressed: 0, events: 0 };
  const affected =
    event.eventType === 'Bounce'
      ? (event.bounce?.bouncedRecipients ?? []).map((r) => r.emailAddress)
      : event.eventType === 'Complaint'
        ? (event.complaint?.complainedRecipients ?? []).map((r) => r.emailAddress)
        : event.mail.destination;
  let suppressed = 0;
  // A transient bounce (mailbox full) may pass; a permanent one and a complaint never again.
  if ((event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent') || event.eventType === 'Complaint') {
    for (const address of affected) {
      await deps.suppressions.suppress(address, event.eventType === 'Bounce' ? 'bounce' : 'complaint');
      suppressed += 1;
    }
  }
  const counted = event.eventType === 'Delivery' ? 'delivered' : event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent' ? 'bounced' : event.eventType === 'Complaint' ? 'complained' : undefined;
  if (deps.deliverability && counted) {
    const { store, rules, log } = deps.deliverability;
    const now = deps.clock.now();
    for (let i = 0; i < affected.length; i += 1) await store.count(counted, now);
    const before = await store.paused();
    const verdict = guardVerdict(await store.lastDay(now), rules, before.paused);
    if (verdict.paused !== before.paused) {
      await store.setPaused(verdict.paused, verdict.reason, now);
      log?.warn(verdict.paused ? 'deliverability guard: marketing sends paused' : 'deliverability guard: marketing sends resumed', { reason: verdict.reason });
    }
  }
  const events: TrackedEvent[] = [];
  for (const address of affected) {
    const profileId = await deps.identities.owner(identityOf('email', address));
    if (!profileId) continue;
    events.push({
      // One event per message, kind and address: SES's at-least-once delivery is absorbed by the ingest receipt.
      id: `ses-${event.mail.messageId}-${kind}-${events.length}`.replace(/[^A-Za-z0-9._:@+-]/g, '-').slice(0, 128),
      type: `email.${kind}`,
      profileId,
      timestamp: new Date(event.mail.timestamp ?? deps.clock.now()).toISOString(),
      properties: {
        messageId: event.mail.messageId,
        ...(event.mail.tags?.journey?.[0] ? { journey: event.mail.tags.journey[0] } : {}),
        ...(event.mail.tags?.step?.[0] ? { step: event.mail.tags.step[0] } : {}),
        // The report groups (send time, channel choice) and the segment a choice learns in.
        ...(event.mail.tags?.groups?.[0] ? { groups: event.mail.tags.groups[0] } : {}),
        ...(event.mail.tags?.learn?.[0] ? { learn: event.mail.tags.learn[0] } : {}),
        ...(event.bounce ? { bounceType: event.bounce.bounceType } : {}),
        ...(event.click ? { link: event.click.link } : {}),
      },
    });
  }
  for (const e of events) {
    const { journey, step, groups } = e.properties as { journey?: string; step?: string; groups?: string };
    if (journey && step) await deps.reports?.count(e.id, deps.clock.now(), feedbackMetrics({ id: journey }, step, groups, e.type));
  }
  if (events.length > 0) await ingest(events, deps);
  return { suppressed, events: events.length };
}

/** The SES mailbox simulator, as SES answers it: what a send to these addresses becomes. */
export function simulatorFeedback(to: string, messageId: string, tags: Record<string, string>, at: string): SesEvent[] {
  const mail = { messageId, destination: [to], tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v]])), timestamp: at };
  const [local, domain] = to.toLowerCase().split('@');
  if (domain !== 'simulator.amazonses.com') return [];
  if (local!.startsWith('bounce')) return [{ eventType: 'Bounce', mail, bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: to }] } }];
  if (local!.startsWith('complaint')) return [{ eventType: 'Delivery', mail }, { eventType: 'Complaint', mail, complaint: { complainedRecipients: [{ emailAddress: to }] } }];
  if (local!.startsWith('success')) return [{ eventType: 'Delivery', mail }];
  return [];
}
