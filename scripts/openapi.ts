import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { errorSchema, eventBatchSchema, eventSchema, ingestResponseSchema } from '../functions/handlers/ingest/schema';

// The API reference, generated from the same zod schemas the handlers validate with: `npm run docs`.

export function buildOpenApi(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of [
    ['Event', eventSchema],
    ['EventBatch', eventBatchSchema],
    ['IngestResult', ingestResponseSchema],
    ['Error', errorSchema],
  ] as const) {
    registry.add(schema, { id });
  }
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'input', uri: (id) => `#/components/schemas/${id}` });
  for (const schema of Object.values(schemas)) {
    delete (schema as { $schema?: string }).$schema;
    delete (schema as { $id?: string }).$id;
  }
  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'open-journeys API',
      version: '0.1.0',
      description: 'Events in, journeys out. Every route needs `Authorization: Bearer <api key>` (AWS: the key in the ApiKeySecretArn secret; locally: local-dev-key).',
    },
    components: {
      schemas,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, checked by the Lambda authorizer.' } },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/events': {
        post: {
          summary: 'Track one event, or a batch of up to 100',
          description:
            'Validates the whole body first: one bad event rejects the request and nothing is written. An event id seen before is accepted once and reported in `duplicates`. Accepted events update the profile and go onto the bus, where journeys start from them.',
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [ref('Event'), ref('EventBatch')] } } } },
          responses: {
            '202': json(ref('IngestResult'), 'Accepted'),
            '400': json(ref('Error'), 'ValidationError (issues name each field) or InvalidJson'),
            '401': { description: 'No Authorization header' },
            '403': { description: 'The API key is not valid' },
            '413': json(ref('Error'), 'PayloadTooLarge: the body is over 256 KB'),
            '500': json(ref('Error'), 'InternalError: safe to send the same request again'),
          },
        },
      },
    },
  };
}

export const OPENAPI_FILE = resolve(import.meta.dirname, '..', 'docs', 'openapi.json');
export const renderOpenApi = () => `${JSON.stringify(buildOpenApi(), null, 2)}\n`;

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'openapi.ts')) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
