import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { OPENAPI_FILE, buildOpenApi, renderOpenApi } from '../../scripts/openapi';

describe('docs/openapi.json', () => {
  it('is generated from the zod schemas the handlers use (run `npm run docs` after changing them)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('is a valid OpenAPI 3.1 document (swagger-parser: the schema, every $ref resolved), with servers, a licence and an operationId everywhere', async () => {
    const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.info.license).toStrictEqual({ name: 'Apache-2.0', identifier: 'Apache-2.0' });
    const operations = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) => Object.values(p));
    expect(operations.filter((o) => !o.operationId)).toStrictEqual([]);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
  });

  it('describes a Segment batch item by its type: the oneOf branches exclude each other', () => {
    const item = (buildOpenApi() as { components: { schemas: Record<string, { properties: { batch: { items: { oneOf: Array<{ allOf: Array<{ properties?: { type: { enum: string[] } } }> }> } } } }> } }).components.schemas.SegmentBatch!.properties.batch.items;
    const types = item.oneOf.flatMap((b) => b.allOf[1]!.properties!.type.enum);
    expect(types).toStrictEqual(['track', 'identify', 'page', 'screen', 'alias']);
  });

  it('documents every field of an event with its rule', () => {
    const event = (buildOpenApi() as { components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> } }).components.schemas.Event!;
    expect(Object.keys(event.properties)).toStrictEqual(['id', 'type', 'profileId', 'identities', 'timestamp', 'properties', 'attributes']);
    expect(event.required).toStrictEqual(['id', 'type']);
  });
});
