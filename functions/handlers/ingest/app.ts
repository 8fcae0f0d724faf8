import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ingest, type IngestDeps } from '../../domain/ingest';
import type { TrackedEvent } from '../../domain/events';
import { anonymousProfileId, identityOf, type IdentityType } from '../../domain/identity';
import { publicProfile } from '../../domain/privacy';
import { loadProfile } from '../../domain/profile-writes';
import type { Log } from '../../ports';
import { HttpError, httpErrors, json, jsonBody } from '../http';
import { ingestSchemaFor, type EventInput } from './schema';
import { SEGMENT_BODIES, segmentEvents, type SegmentOperation } from './segment';
import { operationOf, type OperationsOf } from '../routes';
import { profileIdParam, profileWriteEvent, profileWriteSchema } from './profile-write';

function toTracked(e: EventInput, receivedAt: string): TrackedEvent {
  // Timestamps are stored in UTC so that last-write-wins compares them as strings.
  const timestamp = e.timestamp ? new Date(e.timestamp).toISOString() : receivedAt;
  const identities = Object.entries(e.identities ?? {}).map(([type, value]) => identityOf(type as IdentityType, value));
  const profileId = e.profileId ?? anonymousProfileId(e.identities!.anonymousId!);
  return { id: e.id, type: e.type, profileId, timestamp, properties: e.properties, ...(e.attributes ? { attributes: e.attributes } : {}), ...(identities.length > 0 ? { identities } : {}) };
}

type Operation = OperationsOf<'ingest'>;
const operation = (event: APIGatewayProxyEventV2): Operation => {
  const op = operationOf('ingest', event);
  if (!op) throw new HttpError(404, 'NotFound', 'no such route');
  return op;
};
const isSegment = (op: Operation): op is SegmentOperation => Object.hasOwn(SEGMENT_BODIES, op);
const isProfileWrite = (op: Operation) => op === 'replaceProfile' || op === 'updateProfile';

/** The body each operation takes. */
function bodySchema(op: Operation, body: unknown) {
  if (isProfileWrite(op)) return profileWriteSchema;
  return isSegment(op) ? SEGMENT_BODIES[op] : ingestSchemaFor(body);
}

/**
 * POST /events (our format), the Segment tracking API (/v1/track, identify, alias, batch), and PUT / PATCH
 * /profiles/{id}: one ingest.
 */
export function createIngestHandler(deps: IngestDeps & { log: Log }) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use(jsonBody<unknown>((body, event) => bodySchema(operation(event), body)))
    .handler(async (event) => {
      const receivedAt = deps.clock.now().toISOString();
      const op = operation(event);
      if (isProfileWrite(op)) {
        const write = profileWriteEvent(event.body as never, {
          profileId: profileIdParam(event.pathParameters),
          replace: op === 'replaceProfile',
          idempotencyKey: event.headers['idempotency-key'],
          receivedAt,
        });
        const result = await ingest([write], deps);
        const profile = await loadProfile(deps.profiles, result.stitched.get(write.id) ?? write.profileId);
        if (!profile) throw new HttpError(500, 'InternalError', 'the profile could not be read back; it is safe to send the same request again');
        deps.log.info('profile written', { duplicate: result.duplicates.length > 0 });
        return json(200, publicProfile(profile));
      }
      const body = event.body as unknown as EventInput | { events: EventInput[] };
      const segment = isSegment(op);
      const events = isSegment(op) ? segmentEvents(op, body, receivedAt) : ('events' in body ? body.events : [body]).map((e) => toTracked(e, receivedAt));
      const { accepted, duplicates } = await ingest(events, deps);
      deps.log.info('events ingested', { accepted: accepted.length, duplicates: duplicates.length });
      // Segment's SDKs expect 200 and { success: true }.
      return segment ? json(200, { success: true }) : json(202, { accepted, duplicates });
    });
}
