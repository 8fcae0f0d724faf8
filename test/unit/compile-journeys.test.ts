import { resolve } from 'node:path';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { compileJourney, renderDefinition, validateJourney } from '../../statemachines';
import { loadWorkspace } from '../../workspace/load';
import { generatedJourney } from '../fixtures/journeys';

const workspace = loadWorkspace(resolve('examples/store'));

describe('example journeys', () => {
  it.each(workspace.journeys.map((j) => [j.journey.id, j] as const))('%s compiles to the committed ASL', async (id, compiled) => {
    await expect(renderDefinition(compiled.definition, { pretty: true })).toMatchFileSnapshot(`../../docs/asl/${id}.asl.json`);
    expect(JSON.parse(compiled.asl)).toStrictEqual(compiled.definition);
  });

  it.each(workspace.journeys.map((j) => [j.journey.id, j] as const))('%s is valid ASL for asl-validator', (_id, compiled) => {
    const result = validator(compiled.definition, { checkArn: false, checkPaths: true });
    expect(result.errors).toStrictEqual([]);
    expect(result.isValid).toBe(true);
  });
});

describe('determinism', () => {
  it('same definition, byte-identical ASL, whatever the key order of the input', () => {
    const j = workspace.journeys.find((c) => c.journey.id === 'post-purchase')!.journey;
    const shuffled = JSON.parse(JSON.stringify({ steps: Object.fromEntries(Object.entries(j.steps).reverse()), start: j.start, entry: j.entry, name: j.name, id: j.id }));
    const again = validateJourney(shuffled);
    expect(again.ok).toBe(true);
    expect(renderDefinition(compileJourney(again.ok ? again.journey : j))).toBe(renderDefinition(compileJourney(j)));
  });

  it('a 500-step journey compiles to valid ASL far below the 1 MB limit', () => {
    const definition = compileJourney(generatedJourney(500));
    expect(validator(definition, { checkArn: false, checkPaths: true }).isValid).toBe(true);
    expect(Buffer.byteLength(renderDefinition(definition))).toBeLessThan(1024 * 1024);
  });
});
