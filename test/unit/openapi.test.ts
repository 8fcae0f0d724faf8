import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, buildOpenApi, renderOpenApi } from '../../scripts/openapi';

describe('docs/openapi.json', () => {
  it('is generated from the zod schemas the handlers use (run `npm run docs` after changing them)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('documents every field of an event with its rule', () => {
    const event = (buildOpenApi() as { components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> } }).components.schemas.Event!;
    expect(Object.keys(event.properties)).toStrictEqual(['id', 'type', 'profileId', 'identities', 'timestamp', 'properties', 'attributes']);
    expect(event.required).toStrictEqual(['id', 'type']);
  });
});
