import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { ingest, type IngestDeps } from '../../domain/ingest';
import type { TrackedEvent } from '../../domain/events';
import type { Log } from '../../ports';
import { httpErrors, json, jsonBody } from '../http';
import { ingestSchemaFor, type EventInput } from './schema';

function toTracked(e: EventInput, receivedAt: string): TrackedEvent {
  // Timestamps are stored in UTC so that last-write-wins compares them as strings.
  const timestamp = e.timestamp ? new Date(e.timestamp).toISOString() : receivedAt;
  return { id: e.id, type: e.type, profileId: e.profileId, timestamp, properties: e.properties, ...(e.attributes ? { attributes: e.attributes } : {}) };
}

export function createIngestHandler(deps: IngestDeps & { log: Log }) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use(jsonBody(ingestSchemaFor))
    .handler(async (event) => {
      const body = event.body as unknown as EventInput | { events: EventInput[] };
      const receivedAt = deps.clock.now().toISOString();
      const events = ('events' in body ? body.events : [body]).map((e) => toTracked(e, receivedAt));
      const result = await ingest(events, deps);
      deps.log.info('events ingested', { accepted: result.accepted.length, duplicates: result.duplicates.length });
      return json(202, result);
    });
}
