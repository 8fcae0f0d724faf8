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
import { SEGMENT_ROUTES, segmentEvents, type SegmentPath } from './segment';
import { profileIdParam, profileWriteEvent, profileWriteSchema } from './profile-write';

function toTracked(e: EventInput, receivedAt: string): TrackedEvent {
  // Timestamps are stored in UTC so that last-write-wins compares them as strings.
  const timestamp = e.timestamp ? new Date(e.timestamp).toISOString() : receivedAt;
  const identities = Object.entries(e.identities ?? {}).map(([type, value]) => identityOf(type as IdentityType, value));
  const profileId = e.profileId ?? anonymousProfileId(e.identities!.anonymousId!);
  return { id: e.id, type: e.type, profileId, timestamp, properties: e.properties, ...(e.attributes ? { attributes: e.attributes } : {}), ...(identities.length > 0 ? { identities } : {}) };
}

const isSegment = (path: string): path is SegmentPath => Object.hasOwn(SEGMENT_ROUTES, path);
const isProfileWrite = (event: APIGatewayProxyEventV2) => event.routeKey === 'PUT /profiles/{id}' || event.routeKey === 'PATCH /profiles/{id}';

/**
 * POST /events (our format), the Segment tracking API (/v1/track, identify, alias, batch), and PUT / PATCH
 * /profiles/{id}: one ingest.
 */
export function createIngestHandler(deps: IngestDeps & { log: Log }) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use(jsonBody<unknown>((body, event) => (isProfileWrite(event) ? profileWriteSchema : isSegment(event.rawPath) ? SEGMENT_ROUTES[event.rawPath] : ingestSchemaFor(body))))
    .handler(async (event) => {
      const receivedAt = deps.clock.now().toISOString();
      if (isProfileWrite(event)) {
        const write = profileWriteEvent(event.body as never, {
          profileId: profileIdParam(event.pathParameters),
          replace: event.requestContext.http.method === 'PUT',
          idempotencyKey: event.headers['idempotency-key'],
          receivedAt,
        });
        const result = await ingest([write], deps);
        const profile = await loadProfile(deps.profiles, result.stitched.get(write.id) ?? write.profileId);
        if (!profile) throw new HttpError(500, 'InternalError', 'the profile could not be read back; it is safe to send the same request again');
        deps.log.info('profile written', { duplicate: result.duplicates.length > 0 });
        return json(200, publicProfile(profile));
      }
      const segment = isSegment(event.rawPath);
      const body = event.body as unknown as EventInput | { events: EventInput[] };
      const events = segment ? segmentEvents(event.rawPath as SegmentPath, body, receivedAt) : ('events' in body ? body.events : [body]).map((e) => toTracked(e, receivedAt));
      const { accepted, duplicates } = await ingest(events, deps);
      deps.log.info('events ingested', { accepted: accepted.length, duplicates: duplicates.length });
      // Segment's SDKs expect 200 and { success: true }.
      return segment ? json(200, { success: true }) : json(202, { accepted, duplicates });
    });
}
