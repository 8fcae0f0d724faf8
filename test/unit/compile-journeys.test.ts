import { resolve } from 'node:path';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { buildJourney, compileJourney, estimateHistory, renderDefinition, validateJourney } from '../../statemachines';
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

  it('output shares nothing between compiles: changing one definition does not change the next', () => {
    const j = workspace.journeys.find((c) => c.journey.id === 'post-purchase')!.journey;
    const first = compileJourney(j);
    const before = renderDefinition(first);
    for (const state of Object.values(first.States)) Object.assign(state, { QueryLanguage: 'JSONPath' });
    for (const state of Object.values(first.States)) if (state.Type === 'Task') state.Retry?.forEach((r) => (r.MaxAttempts = 99));
    expect(renderDefinition(compileJourney(j))).toBe(before);
  });

  it('a 500-step journey compiles to valid ASL far below the 1 MB limit', () => {
    const definition = compileJourney(generatedJourney(500));
    expect(validator(definition, { checkArn: false, checkPaths: true }).isValid).toBe(true);
    expect(Buffer.byteLength(renderDefinition(definition))).toBeLessThan(1024 * 1024);
  });
});

describe('Step Functions limits', () => {
  const templates = new Map([['survey', 'email']]);
  const loop = (wait: Record<string, unknown>) => ({
    id: 'loop',
    name: 'Loop',
    entry: { event: 'x' },
    start: 'send',
    steps: { send: { type: 'email', template: 'survey', next: 'pause' }, pause: { ...wait, next: 'send' } },
  });

  it('estimates the history of the example journeys far below the limit (compiled Standard)', () => {
    const standard = loadWorkspace(resolve('examples/store'), undefined, { execution: 'standard' });
    for (const { definition } of standard.journeys) expect(estimateHistory(definition).events).toBeLessThan(100);
  });

  it('checks the history of Standard journeys only: an Express run parks at each wait, each execution short', () => {
    expect(() => buildJourney(loop({ type: 'wait', for: 'PT10M' }), { templates })).not.toThrow();
    expect(() => buildJourney(loop({ type: 'waitForEvent', event: 'email.opened', timeout: 'P1D', onTimeout: 'send' }), { templates })).not.toThrow();
  });

  it('accepts a weekly loop for a year: 53 passes of 17 events, then the way out through SendFailed', () => {
    const { definition } = buildJourney(loop({ type: 'wait', for: 'P7D' }), { templates, execution: 'standard' });
    // A pass: the send task (5), the count of the wait's visit (5), the wait (2), the count of its leaving (5).
    expect(estimateHistory(definition)).toStrictEqual({ events: 2 + 53 * 17 + 2, loop: ['pause', 'send'] });
  });

  it('refuses a loop that could outgrow the execution history in a year', () => {
    expect(() => buildJourney(loop({ type: 'wait', for: 'PT10M' }), { templates, file: 'loop.json', execution: 'standard' })).toThrow(
      /problem\(s\) in loop\.json:\n {2}\$\.steps\.pause: limit-exceeded: the worst path can write about 893524 history events \(the loop through pause, send can run for a year\)/,
    );
  });

  it('refuses a loop whose only wait may take no time', () => {
    expect(() => buildJourney(loop({ type: 'waitForEvent', event: 'email.opened', timeout: 'P1D', onTimeout: 'send' }), { templates, execution: 'standard' })).toThrow(
      /limit-exceeded: the loop through pause, send has no wait of a fixed duration/,
    );
  });

  it('refuses a definition over 1 MB', () => {
    expect(() => buildJourney(generatedJourney(1600), { templates })).toThrow(/over Step Functions' 1 MB limit/);
  });
});
