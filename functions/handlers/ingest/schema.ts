import * as z from 'zod';
import { attributeName, eventType } from '../../../statemachines/schema/ids';
import { ANONYMOUS_PREFIX, IDENTITY_TYPES } from '../../domain/identity';

// The POST /events contract. These schemas are the API reference: docs/openapi.json is generated from them.

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;

/** A known person's id: the profile id. `anonymous:` is reserved for the profiles of anonymous ids. */
export const profileIdSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((id) => !id.startsWith(ANONYMOUS_PREFIX), { error: `must not start with "${ANONYMOUS_PREFIX}" (reserved for anonymous profiles)` });

const identityValue = z.string().min(1).max(256);
/** Other identities of the person, by type; an unknown type is refused by name. */
export const identitiesSchema = z
  .record(z.string(), identityValue)
  .superRefine((ids, ctx) => {
    for (const type of Object.keys(ids)) {
      if (type === 'userId' || !(IDENTITY_TYPES as readonly string[]).includes(type)) {
        ctx.addIssue({ code: 'custom', path: [type], message: `unknown identity type; use one of ${IDENTITY_TYPES.filter((t) => t !== 'userId').join(', ')} (the userId is profileId)`, input: type });
      }
    }
    if (typeof ids.email === 'string' && !ids.email.includes('@')) ctx.addIssue({ code: 'custom', path: ['email'], message: 'must be an email address', input: ids.email });
  })
  .describe('Identities of the same person, linked to the profile: anonymousId, email, phone, pushToken. An identity that belongs to an anonymous profile merges it into this one.')
  .meta({ id: 'Identities' });


export const eventSchema = z
  .strictObject({
    id: z.string().regex(ID, 'must be 1-128 characters of letters, digits and ._:@+- (use a UUID)').describe('Unique per event: a retry with the same id is accepted once.'),
    type: eventType.describe('Such as order.delivered, or Order Completed.'),
    profileId: profileIdSchema.optional().describe('The known id of the person (userId): the profile the event belongs to, created when new. Without it, identities.anonymousId names an anonymous profile.'),
    identities: identitiesSchema.optional(),
    timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional().describe('When it happened; defaults to when it was received.'),
    properties: z.record(z.string(), z.unknown()).default({}).describe('Event data, readable by journeys as event.properties.*'),
    attributes: z.record(attributeName, z.unknown()).optional().describe('Attributes merged into the profile (last write wins per attribute).'),
  })
  .refine((e) => e.profileId !== undefined || e.identities?.anonymousId !== undefined, { error: 'an event needs a profileId, or identities.anonymousId', path: ['profileId'] })
  .meta({ id: 'Event' });

export const eventBatchSchema = z
  .strictObject({ events: z.array(eventSchema).min(1, 'must hold at least one event').max(100, 'holds at most 100 events') })
  .meta({ id: 'EventBatch' });

export type EventInput = z.infer<typeof eventSchema>;

/** One event, or a batch: the key `events` says which, so errors name the right fields. */
export function ingestSchemaFor(body: unknown): z.ZodType<EventInput | { events: EventInput[] }> {
  return typeof body === 'object' && body !== null && 'events' in body ? eventBatchSchema : eventSchema;
}

export const ingestResponseSchema = z
  .strictObject({
    accepted: z.array(z.string()).describe('Event ids accepted now.'),
    duplicates: z.array(z.string()).describe('Event ids seen before: accepted once already, not processed again.'),
  })
  .meta({ id: 'IngestResult' });

export const errorSchema = z
  .strictObject({
    error: z.string().describe('ValidationError, InvalidJson, PayloadTooLarge, Unauthorized, Overloaded, InternalError'),
    message: z.string(),
    issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });
