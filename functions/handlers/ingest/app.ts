import { attributeWriteIssues, type Attributes } from '../../domain/attributes';
import type * as z from 'zod';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { acceptEvents, overloaded, type AcceptDeps, type IngestLimits } from '../../domain/ingest';
import type { TrackedEvent } from '../../domain/events';
import { anonymousProfileId, identityOf, type IdentityType } from '../../domain/identity';
import { futureIssue } from '../../domain/storable';
import type { Log } from '../../ports';
import { HttpError, httpErrors, json, jsonBody } from '../http';
import { ingestSchemaFor, type EventInput } from './schema';
import { SEGMENT_BODIES, segmentEvents, type SegmentOperation } from './segment';
import { operationOf, type OperationsOf } from '../routes';
import { profileIdParam, profileWriteEvent, profileWriteSchema } from './profile-write';
import { profileImportEvents, profileImportSchema } from './profile-import';

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
  if (op === 'importProfiles') return profileImportSchema;
  return isSegment(op) ? SEGMENT_BODIES[op] : ingestSchemaFor(body);
}

export interface IngestApiDeps extends AcceptDeps {
  log: Log;
  /** attributes.json, when the workspace declares its attributes: profile writes may set those only. */
  attributes?: () => Attributes | null;
  limits: IngestLimits & { maxFutureSeconds: number };
}

/** Where each event of the body is, for errors: `timestamp`, `events[3].timestamp`, `batch[2].timestamp`. */
function timestampPath(op: Operation, body: unknown, i: number): string {
  if (op === 'segmentBatch') return `batch[${i}].timestamp`;
  if (op === 'importProfiles') return `profiles[${i}].timestamp`;
  if (!isSegment(op) && !isProfileWrite(op) && typeof body === 'object' && body !== null && 'events' in body) return `events[${i}].timestamp`;
  return 'timestamp';
}

/**
 * POST /events (our format), the Segment tracking API (/v1/track, identify, alias, batch), and PUT / PATCH
 * /profiles/{id}: validated whole (every value storable, no timestamp too far ahead), recorded and enqueued,
 * answered 202. The queue's consumer (functions/handlers/apply) applies them, in order per profile.
 */
export function createIngestHandler(deps: IngestApiDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use(jsonBody<unknown>((body, event) => bodySchema(operation(event), body)))
    .handler(async (event) => {
      const now = deps.clock.now();
      const receivedAt = now.toISOString();
      const op = operation(event);
      const body = event.body as unknown;
      let events: TrackedEvent[];
      if (isProfileWrite(op)) {
        const declared = deps.attributes?.();
        const wrong = declared ? attributeWriteIssues(declared, (body as { attributes: Record<string, unknown> }).attributes) : [];
        if (wrong.length > 0) throw new HttpError(400, 'ValidationError', `${wrong[0]!.path}: ${wrong[0]!.message}`, wrong);
        events = [
          profileWriteEvent(body as never, {
            profileId: profileIdParam(event.pathParameters),
            replace: op === 'replaceProfile',
            idempotencyKey: event.headers['idempotency-key'],
            receivedAt,
          }),
        ];
      } else if (op === 'importProfiles') {
        const input = body as z.output<typeof profileImportSchema>;
        const declared = deps.attributes?.();
        const wrong = declared ? input.profiles.flatMap((p, i) => attributeWriteIssues(declared, p.attributes, `profiles[${i}].attributes`)) : [];
        if (wrong.length > 0) throw new HttpError(400, 'ValidationError', `${wrong[0]!.path}: ${wrong[0]!.message}`, wrong);
        events = profileImportEvents(input, receivedAt);
      } else if (isSegment(op)) {
        events = segmentEvents(op, body, receivedAt);
      } else {
        const input = body as EventInput | { events: EventInput[] };
        events = ('events' in input ? input.events : [input]).map((e) => toTracked(e, receivedAt));
      }
      const issues = events.flatMap((e, i) => {
        const message = futureIssue(e.timestamp, now, deps.limits.maxFutureSeconds);
        return message ? [{ path: timestampPath(op, body, i), message }] : [];
      });
      if (issues.length > 0) throw new HttpError(400, 'ValidationError', `${issues[0]!.path}: ${issues[0]!.message}`, issues);
      const busy = overloaded(await deps.queue.pressure(), deps.limits);
      if (busy) {
        deps.log.warn('ingest refused: the queue is behind', { reason: busy });
        throw new HttpError(503, 'Overloaded', `events are arriving faster than they are applied (${busy}); send again after the Retry-After seconds`, undefined, { 'retry-after': String(RETRY_AFTER_SECONDS) });
      }
      const { accepted, duplicates } = await acceptEvents(events, deps);
      deps.log.info('events accepted', { accepted: accepted.length, duplicates: duplicates.length });
      // Segment's SDKs expect 200 and { success: true }.
      return isSegment(op) ? json(200, { success: true }) : json(202, { accepted, duplicates });
    });
}

/** What an overloaded API asks senders to wait (Segment's SDKs and ours retry a 503 after it). */
export const RETRY_AFTER_SECONDS = 5;
