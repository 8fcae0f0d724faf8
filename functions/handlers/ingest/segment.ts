import * as z from 'zod';
import { attributeName, eventType } from '../../../statemachines/schema/ids';
import type { TrackedEvent } from '../../domain/events';
import { anonymousProfileId, identityOf } from '../../domain/identity';
import { profileIdSchema } from './schema';
import { issueMessage } from '../../../statemachines/errors';

// The Segment HTTP tracking API (track, identify, page, screen; one call or a batch), so existing Segment SDKs
// send to us unchanged. Segment's other fields (context, integrations...) are accepted and not kept.
// The profile is the userId; a message with an anonymousId too links it (stitching the anonymous profile in);
// one with only an anonymousId goes to the profile that id belongs to.

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;
const common = {
  messageId: z.string().regex(ID, 'must be 1-128 characters of letters, digits and ._:@+- (Segment SDKs set it)'),
  userId: profileIdSchema.optional(),
  anonymousId: z.string().min(1).max(256).optional(),
  timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional(),
};
const hasProfile = (m: { userId?: string | undefined; anonymousId?: string | undefined }) => m.userId !== undefined || m.anonymousId !== undefined;
const who = { message: 'a message needs a userId or an anonymousId', path: ['userId'] };

export const segmentTrack = z.looseObject({ ...common, type: z.literal('track').optional(), event: eventType, properties: z.record(z.string(), z.unknown()).default({}) }).refine(hasProfile, who).meta({ id: 'SegmentTrack' });
export const segmentIdentify = z.looseObject({ ...common, type: z.literal('identify').optional(), traits: z.record(attributeName, z.unknown()).default({}) }).refine(hasProfile, who).meta({ id: 'SegmentIdentify' });
export const segmentView = z.looseObject({ ...common, type: z.enum(['page', 'screen']), name: z.string().max(256).optional(), properties: z.record(z.string(), z.unknown()).default({}) }).refine(hasProfile, who);

/** alias: the person known as previousId (an anonymousId) is userId; the two profiles are stitched. */
export const segmentAlias = z
  .looseObject({ messageId: common.messageId, timestamp: common.timestamp, type: z.literal('alias').optional(), userId: profileIdSchema, previousId: z.string().min(1).max(256) })
  .meta({ id: 'SegmentAlias' });

type Message = z.output<typeof segmentTrack> | z.output<typeof segmentIdentify> | z.output<typeof segmentView>;
type Kind = 'track' | 'identify' | 'page' | 'screen' | 'alias';

/** A batch item, by its type: Segment's alias and group need identity stitching and accounts, not yet here. */
export const batchItem = z.custom<Message | z.output<typeof segmentAlias>>(() => true).superRefine((item, ctx) => {
  const type = (item as { type?: unknown } | null)?.type;
  const schema = type === 'track' ? segmentTrack : type === 'identify' ? segmentIdentify : type === 'page' || type === 'screen' ? segmentView : type === 'alias' ? segmentAlias : undefined;
  if (!schema) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: 'type must be track, identify, page, screen or alias (group is not supported)', input: type });
    return;
  }
  for (const issue of schema.safeParse(item).error?.issues ?? []) ctx.addIssue({ code: 'custom', path: issue.path, message: issueMessage(issue), input: item });
});

export const segmentBatch = z.looseObject({ batch: z.array(batchItem).min(1).max(100, 'holds at most 100 messages') }).meta({ id: 'SegmentBatch' });

/** The Segment operations of the route table (functions/handlers/routes.ts) and the body each takes. */
export const SEGMENT_BODIES = { segmentTrack, segmentIdentify, segmentAlias, segmentBatch } as const;
export type SegmentOperation = keyof typeof SEGMENT_BODIES;

function toEvent(m: Message | z.output<typeof segmentAlias>, kind: Kind, receivedAt: string): TrackedEvent {
  if (kind === 'alias') {
    const a = m as z.output<typeof segmentAlias>;
    const timestamp = a.timestamp ? new Date(a.timestamp).toISOString() : receivedAt;
    return { id: a.messageId, type: 'alias', profileId: a.userId, identities: [identityOf('anonymousId', a.previousId)], timestamp, properties: {} };
  }
  const msg = m as Message;
  const base = {
    id: msg.messageId,
    profileId: msg.userId ?? anonymousProfileId(msg.anonymousId!),
    ...(msg.userId !== undefined && msg.anonymousId !== undefined ? { identities: [identityOf('anonymousId', msg.anonymousId)] } : {}),
    timestamp: msg.timestamp ? new Date(msg.timestamp).toISOString() : receivedAt,
  };
  if (kind === 'identify') return { ...base, type: 'identify', properties: {}, attributes: (m as z.output<typeof segmentIdentify>).traits };
  if (kind === 'track') return { ...base, type: (m as z.output<typeof segmentTrack>).event, properties: (m as z.output<typeof segmentTrack>).properties };
  const view = m as z.output<typeof segmentView>;
  return { ...base, type: kind, properties: { ...view.properties, ...(view.name !== undefined ? { name: view.name } : {}) } };
}

/** The events a validated Segment body stands for: track → its event; identify → `identify` with the traits. */
export function segmentEvents(operation: SegmentOperation, body: unknown, receivedAt: string): TrackedEvent[] {
  if (operation === 'segmentBatch') return (body as z.output<typeof segmentBatch>).batch.map((m) => toEvent(m, (m as { type: Kind }).type, receivedAt));
  return [toEvent(body as Message, operation === 'segmentTrack' ? 'track' : operation === 'segmentAlias' ? 'alias' : 'identify', receivedAt)];
}
