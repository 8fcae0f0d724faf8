import { bucketOf } from './buckets';
import { tagGroups } from './reports';
import { betaDraw } from './beta-draw';

// Channel choice (`choose: "best"`): Thompson sampling per channel over its sends and engagements in the
// profile's segment (the first of the step's `learnBy` audiences the profile is in, else everyone), among the
// channels the profile can be reached on and consented to. Now and then (EXPLORATION) a channel at random, so
// a channel that started badly is tried again. Pure; the draws come from the send's key, so a retried send
// chooses the same channel.

export const EXPLORATION = 0.1;

export interface ChannelStats {
  sent: number;
  engaged: number;
}

/** The stats key of a channel of a choice step (kept with the offer stats: O#<key> / STATS#<segment>). */
export const choiceArm = (journeyId: string, stepId: string, channel: string) => `choice:${journeyId}:${stepId}:${channel}`;

/** A segment as a message tag carries it: SES tag values take letters, digits and `_ - . @`, so `*` is `@all`. */
export const segmentTag = (segment: string) => (segment === '*' ? '@all' : segment);
const segmentOfTag = (tag: string) => (tag === '@all' ? '*' : tag);

/** Uniform numbers in [0, 1) from a seed: the buckets of `<seed>:1`, `<seed>:2`... (buckets.ts). */
export function seededRandom(seed: string): () => number {
  let n = 0;
  return () => bucketOf(seed, String((n += 1)));
}

/**
 * The channel to send on, among the eligible ones (in the step's order); undefined when none is. The scores are
 * the Beta(1 + engaged, 1 + sent - engaged) draws, for the decision log and tests.
 */
export function chooseChannel<C extends string>(eligible: readonly C[], stats: ReadonlyMap<string, ChannelStats>, random: () => number, exploration = EXPLORATION): { channel: C; scores: Record<string, number> } | undefined {
  if (eligible.length === 0) return undefined;
  const scores: Record<string, number> = {};
  for (const c of eligible) {
    const s = stats.get(c) ?? { sent: 0, engaged: 0 };
    const engaged = Math.min(s.engaged, s.sent);
    scores[c] = betaDraw(1 + engaged, 1 + s.sent - engaged, random);
  }
  if (random() < exploration) return { channel: eligible[Math.floor(random() * eligible.length)]!, scores };
  let best = eligible[0]!;
  for (const c of eligible) if (scores[c]! > scores[best]!) best = c;
  return { channel: best, scores };
}

const ENGAGED_KINDS = new Set(['opened', 'clicked', 'viewed']);

/**
 * The engagement a feedback event reports for a choice step (its message's tags came back in the properties:
 * journey, step, groups with `channel.<c>`, learn), counted once per message (its first open, click or view)
 * where the event names the message.
 */
export function choiceEngagement(event: { id: string; type: string; properties?: Record<string, unknown> }, kind: string | undefined): { once: string; arm: string; segment: string } | undefined {
  const p = event.properties ?? {};
  if (!kind || !ENGAGED_KINDS.has(kind) || typeof p.journey !== 'string' || typeof p.step !== 'string' || typeof p.learn !== 'string' || typeof p.groups !== 'string') return undefined;
  const channel = tagGroups(p.groups).find((g) => g.startsWith('channel.'))?.slice(8);
  if (!channel) return undefined;
  // Email feedback names the message; an app's push.opened may not: then the event counts once.
  return { once: typeof p.messageId === 'string' ? `engaged:${p.messageId}` : event.id, arm: choiceArm(p.journey, p.step, channel), segment: segmentOfTag(p.learn) };
}
