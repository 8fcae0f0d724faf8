import type { SliceName, Slices } from '../functions/platform';
import type { Workspace } from './load';
import { fanOutCampaign, fanOutCampaignId, fanOutsOf } from '../functions/domain/fan-out';

const fanOuts = (w: Workspace) => fanOutsOf(w.journeys.map((j) => j.journey));

// A loaded workspace, cut into the slices functions declare (functions/platform.ts): the CDK app bundles each
// function's slices with it, the local runtime serves them from the workspace as last loaded.

const SLICES: { [K in SliceName]: (w: Workspace) => Slices[K] } = {
  templates: (w) => w.templates,
  audiences: (w) => w.audiences,
  // The fan-out journeys run as campaigns of their own (functions/domain/fan-out.ts).
  campaigns: (w) => ({ ...w.campaigns, ...Object.fromEntries(fanOuts(w).map((f) => [fanOutCampaignId(f.journeyId), fanOutCampaign(f)])) }),
  offers: (w) => w.offers,
  decisions: (w) => w.decisions,
  actions: (w) => w.actions,
  rules: (w) => ({ frequencyCaps: w.frequencyCaps, optInLists: w.optInLists, deliverability: w.deliverability, ...(w.quietHours ? { quietHours: w.quietHours } : {}), proofLists: w.proofLists, lists: w.lists }),
  attributes: (w) => w.attributes ?? null,
  journeyCaps: (w) => w.journeyCaps,
  fanOuts: (w) => fanOuts(w),
  models: (w) => w.models,
};

const cache = new WeakMap<Workspace, Partial<Slices>>();

/** One slice of the workspace, computed once per loaded workspace. */
export function sliceOf<K extends SliceName>(workspace: Workspace, name: K): Slices[K] {
  const slices = cache.get(workspace) ?? {};
  cache.set(workspace, slices);
  return (slices[name] ??= SLICES[name](workspace));
}

/** The slices a function declares, as one object (bundled as its __WORKSPACE__ constant). */
export const slicesOf = (workspace: Workspace, names: readonly SliceName[]): Partial<Slices> => Object.fromEntries(names.map((n) => [n, sliceOf(workspace, n)]));
