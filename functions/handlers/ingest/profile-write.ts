import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { channelSchema } from '../../../statemachines/schema/template';
import { attributeName } from '../../../statemachines/schema/ids';
import type { TrackedEvent } from '../../domain/events';
import { identityOf, type IdentityType } from '../../domain/identity';
import { HttpError, idempotencyKey } from '../http';
import { identitiesSchema } from './schema';

// PUT and PATCH /profiles/{id}: a change to a profile from outside is an event like any other
// (`profile.updated`), so it is stitched, kept in the history, seen by journeys and audiences.

export const profileWriteSchema = z
  .strictObject({
    attributes: z.record(attributeName, z.unknown()).default({}).describe('PUT: the attributes, all of them (others are removed). PATCH: the attributes to change; null removes one.'),
    identities: identitiesSchema.optional(),
    consents: z
      .partialRecord(channelSchema, z.record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lists are 1-32 characters of a-z, 0-9 and -'), z.enum(['granted', 'denied'])))
      .optional()
      .describe('Consent per channel and list (a template category): { "email": { "marketing": "granted" } }'),
    timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp with a time zone' }).optional().describe('When the values were true; defaults to now. Older than a stored value: that value is kept.'),
  })
  .meta({ id: 'ProfileWrite' });

/** The path's profile id: 1-256 characters. */
export function profileIdParam(params: Record<string, string | undefined> | undefined): string {
  const id = params?.id;
  if (!id || id.length > 256) throw new HttpError(400, 'ValidationError', 'id: must be 1-256 characters', [{ path: 'id', message: 'must be 1-256 characters' }]);
  return id;
}

export function profileWriteEvent(
  body: z.output<typeof profileWriteSchema>,
  request: { profileId: string; replace: boolean; idempotencyKey: string | undefined; receivedAt: string },
): TrackedEvent {
  idempotencyKey(request.idempotencyKey);
  const attributes = Object.fromEntries(Object.entries(body.attributes).filter(([, v]) => v !== null));
  const unset = Object.entries(body.attributes).filter(([, v]) => v === null).map(([k]) => k);
  const identities = Object.entries(body.identities ?? {}).map(([type, value]) => identityOf(type as IdentityType, value));
  return {
    // A retry with the same Idempotency-Key header is the same event: applied once.
    id: request.idempotencyKey ?? randomUUID(),
    type: 'profile.updated',
    profileId: request.profileId,
    timestamp: body.timestamp ? new Date(body.timestamp).toISOString() : request.receivedAt,
    properties: {},
    attributes,
    ...(request.replace ? { replaceAttributes: true } : unset.length > 0 ? { unset } : {}),
    ...(identities.length > 0 ? { identities } : {}),
    ...(body.consents
      ? { consents: Object.entries(body.consents).flatMap(([channel, lists]) => Object.entries(lists ?? {}).map(([list, status]) => ({ channel, list, status }))) }
      : {}),
  };
}
