import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SCHEMA_DIR, workspaceSchemas } from '../../scripts/workspace-schema';

// docs/schema/: what editors check workspace files against. Generated from the loader's zod schemas.

const EXAMPLE = 'examples/store';

describe('docs/schema', () => {
  it('is generated from the zod schemas the loader checks with (run `npm run docs` after changing them)', () => {
    const files = workspaceSchemas();
    expect(readdirSync(SCHEMA_DIR).sort()).toStrictEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(SCHEMA_DIR, name), 'utf8'), name).toBe(text);
  });

  it("accepts every file of the example workspace, each naming its schema, and refuses a misspelt field", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    const validatorOf = (schemaPath: string) => {
      const name = basename(schemaPath);
      if (!validators.has(name)) validators.set(name, ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8'))));
      return validators.get(name)!;
    };
    const files = ['rules.json', ...['journeys', 'templates', 'audiences', 'campaigns', 'offers', 'placements', 'decisions'].flatMap((d) => readdirSync(join(EXAMPLE, d)).filter((f) => f.endsWith('.json')).map((f) => `${d}/${f}`))];
    for (const file of files) {
      const value = JSON.parse(readFileSync(join(EXAMPLE, file), 'utf8')) as { $schema?: string };
      expect(value.$schema, file).toMatch(/docs\/schema\/\w+\.schema\.json$/);
      const validate = validatorOf(value.$schema!);
      expect(validate(value), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const template = JSON.parse(readFileSync(join(EXAMPLE, 'templates/welcome.json'), 'utf8')) as Record<string, unknown>;
    expect(validatorOf('template.schema.json')({ ...template, subjet: 'typo' })).toBe(false);
  });
});
