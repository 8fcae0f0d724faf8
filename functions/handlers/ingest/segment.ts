import * as z from 'zod';
import { attributeName, eventType } from '../../../statemachines/schema/ids';
import type { TrackedEvent } from '../../domain/events';

// The Segment HTTP tracking API (track, identify, page, screen; one call or a batch), so existing Segment SDKs
// send to us unchanged. Segment's other fields (context, integrations...) are accepted and not kept.
// The profile is the userId, or the anonymousId before the person is known (identity stitching: issue 4).

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;
const common = {
  messageId: z.string().regex(ID, 'must be 1-128 characters of letters, digits and ._:@+- (Segment SDKs set it)'),
  userId: z.string().min(1).max(256).optional(),
  anonymousId: z.string().min(1).max(256).optional(),
  timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional(),
};
const hasProfile = (m: { userId?: string | undefined; anonymousId?: string | undefined }) => m.userId !== undefined || m.anonymousId !== undefined;
const who = { message: 'a message needs a userId or an anonymousId', path: ['userId'] };

export const segmentTrack = z.looseObject({ ...common, type: z.literal('track').optional(), event: eventType, properties: z.record(z.string(), z.unknown()).default({}) }).refine(hasProfile, who).meta({ id: 'SegmentTrack' });
export const segmentIdentify = z.looseObject({ ...common, type: z.literal('identify').optional(), traits: z.record(attributeName, z.unknown()).default({}) }).refine(hasProfile, who).meta({ id: 'SegmentIdentify' });
export const segmentView = z.looseObject({ ...common, type: z.enum(['page', 'screen']), name: z.string().max(256).optional(), properties: z.record(z.string(), z.unknown()).default({}) }).refine(hasProfile, who);

type Message = z.output<typeof segmentTrack> | z.output<typeof segmentIdentify> | z.output<typeof segmentView>;

/** A batch item, by its type: Segment's alias and group need identity stitching and accounts, not yet here. */
export const batchItem = z.custom<Message>(() => true).superRefine((item, ctx) => {
  const type = (item as { type?: unknown } | null)?.type;
  const schema = type === 'track' ? segmentTrack : type === 'identify' ? segmentIdentify : type === 'page' || type === 'screen' ? segmentView : undefined;
  if (!schema) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: 'type must be track, identify, page or screen (alias and group are not supported yet)', input: type });
    return;
  }
  for (const issue of schema.safeParse(item).error?.issues ?? []) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: item });
});

export const segmentBatch = z.looseObject({ batch: z.array(batchItem).min(1).max(100, 'holds at most 100 messages') }).meta({ id: 'SegmentBatch' });

export const SEGMENT_ROUTES = { '/v1/track': segmentTrack, '/v1/identify': segmentIdentify, '/v1/batch': segmentBatch } as const;
export type SegmentPath = keyof typeof SEGMENT_ROUTES;

/** Every route the ingest function serves (all POST), on AWS and locally. */
export const INGEST_PATHS = ['/events', ...(Object.keys(SEGMENT_ROUTES) as SegmentPath[])] as const;

function toEvent(m: Message, kind: 'track' | 'identify' | 'page' | 'screen', receivedAt: string): TrackedEvent {
  const base = { id: m.messageId, profileId: (m.userId ?? m.anonymousId)!, timestamp: m.timestamp ? new Date(m.timestamp).toISOString() : receivedAt };
  if (kind === 'identify') return { ...base, type: 'identify', properties: {}, attributes: (m as z.output<typeof segmentIdentify>).traits };
  if (kind === 'track') return { ...base, type: (m as z.output<typeof segmentTrack>).event, properties: (m as z.output<typeof segmentTrack>).properties };
  const view = m as z.output<typeof segmentView>;
  return { ...base, type: kind, properties: { ...view.properties, ...(view.name !== undefined ? { name: view.name } : {}) } };
}

/** The events a validated Segment body stands for: track → its event; identify → `identify` with the traits. */
export function segmentEvents(path: SegmentPath, body: unknown, receivedAt: string): TrackedEvent[] {
  if (path === '/v1/batch') return (body as z.output<typeof segmentBatch>).batch.map((m) => toEvent(m, (m as { type: 'track' | 'identify' | 'page' | 'screen' }).type, receivedAt));
  return [toEvent(body as Message, path === '/v1/track' ? 'track' : 'identify', receivedAt)];
}
