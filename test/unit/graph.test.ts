import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outlineJourney, toMermaid } from '../../statemachines';
import { toSvg } from '../../cli/svg';
import { loadWorkspace } from '../../workspace/load';

const workspace = loadWorkspace('examples/store');

describe('jo graph', () => {
  it.each(workspace.journeys.map((j) => [j.journey.id, j.journey] as const))('docs/graphs/%s is up to date (npx jo graph <journey> --out docs/graphs)', (id, journey) => {
    const outline = outlineJourney(journey);
    expect(readFileSync(`docs/graphs/${id}.mmd`, 'utf8')).toBe(toMermaid(outline));
    expect(readFileSync(`docs/graphs/${id}.svg`, 'utf8')).toBe(toSvg(outline));
  });

  it('labels every way out of a step, and the journey-wide rules', () => {
    const journey = workspace.journeys.find((j) => j.journey.id === 'welcome')!.journey;
    const outline = outlineJourney(journey);
    expect(outline.edges).toStrictEqual([
      { from: 'hello', to: 'later', label: '' },
      { from: 'later', to: 'still-free', label: '' },
      { from: 'still-free', to: 'nudge', label: 'profile.attributes.plan = "free"' },
      { from: 'still-free', to: 'done', label: 'otherwise' },
      { from: 'nudge', to: 'done', label: '' },
    ]);
    expect(outline.notes).toStrictEqual(['re-entry: never', 'exits on customer.unsubscribed']);
  });
});
