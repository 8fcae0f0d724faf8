import { join } from 'node:path';
import { COST_PROFILE, journeyCost } from '../cli/cost';
import { PROJECT_ROOT } from '../infra/constructs/journey-function';
import { loadWorkspace } from '../workspace/load';

// What each example journey costs per million entrants in each execution mode (`jo cost`, the same path: the
// journey run on the local runtime for one profile, its requests counted and priced), the Standard figure as
// the baseline, and the start rate each mode allows on default quotas.

/** What enters each example journey (its entry condition and correlation read these). */
const ENTRIES: Record<string, { properties: Record<string, unknown>; attributes?: Record<string, unknown> }> = {
  'post-purchase': { properties: { orderId: 'C-1', delayed: false } },
  'back-in-stock': { properties: { sku: 'SW-42', item: 'Trail shoes' } },
  'car-park': { properties: { place: 'car-park' }, attributes: { tier: 'gold' } },
};

export async function costFigures() {
  const workspace = loadWorkspace(join(PROJECT_ROOT, 'examples/store'));
  const figures: Record<string, unknown> = {};
  for (const { journey, file } of workspace.journeys) {
    if (journey.entry.event === undefined) continue; // entered by jumps and campaigns: see the journey that enters it
    const entry = ENTRIES[journey.id];
    const events = entry ? [{ type: journey.entry.event, properties: entry.properties }] : undefined;
    const profile = { ...COST_PROFILE, attributes: { ...COST_PROFILE.attributes, ...entry?.attributes } };
    const { modes } = await journeyCost({ journeyFile: join(workspace.root, file), profile, ...(events ? { events } : {}) }, 1_000_000);
    figures[journey.id] = {
      expressUsdPerMillion: modes.express.total,
      standardUsdPerMillion: modes.standard.total,
      expressShareOfStandard: Math.round((modes.express.total / modes.standard.total) * 1000) / 1000,
      providerFeesUsdPerMillion: modes.express.providerFees,
      expressStartsPerSecond: modes.express.startsPerSecond,
      standardStartsPerSecond: modes.standard.startsPerSecond,
      expressPerEntrant: modes.express.perEntrant,
      standardPerEntrant: modes.standard.perEntrant,
    };
  }
  return { ...figures, note: 'USD per million entrants, message provider fees apart; one profile with every address through each journey (jo cost)' };
}
