import { bucketOf } from './buckets';
import type { Campaign } from '../../statemachines';
import type { ArmOutcome } from '../ports';
import { splitThresholds } from '../../statemachines/kinds/split-thresholds';

// Campaign experiments: who gets which treatment (or nothing: the holdout). Assignment is a hash of profile and
// campaign, like a journey split's: the same profile gets the same treatment every run, with no state to keep.
// What the counts say of the arms is in experiment-results.ts (the report's, with its statistics library).

export const HOLDOUT = 'holdout';

export interface Arm {
  id: string;
  /** The report step its sends, feedback and conversions are counted under. */
  step: string;
  /** Percent of the audience. */
  share: number;
  /** Absent for the holdout. */
  message?: { channel: string; template: string };
}

/**
 * A campaign's arms: its treatments (a plain campaign's message is one, counted under its usual step), then the
 * holdout. Undefined for a campaign that neither splits, holds out nor counts a goal.
 */
export function armsOf(campaign: Pick<Campaign, 'message' | 'treatments' | 'holdout' | 'goal'>): Arm[] | undefined {
  if (!campaign.treatments && campaign.holdout === undefined && !campaign.goal) return undefined;
  if (!campaign.treatments && !campaign.message) return undefined; // a journey campaign: the journey counts
  const held = campaign.holdout ?? 0;
  const treatments = campaign.treatments ?? [{ id: 'message', weight: 1, message: campaign.message! }];
  const total = treatments.reduce((n, t) => n + t.weight, 0);
  const arms: Arm[] = treatments.map((t) => ({ id: t.id, step: campaign.treatments ? `treatment.${t.id}` : 'message', share: (t.weight / total) * (100 - held), message: t.message }));
  return held > 0 ? [...arms, { id: HOLDOUT, step: HOLDOUT, share: held }] : arms;
}

const cache = new WeakMap<readonly Arm[], string[]>();
/** The arm of a profile: SHA-256 of `<profile id>:<campaign id>`, its first 32 bits against the arms' shares. */
export function armOf(arms: readonly Arm[], campaignId: string, profileId: string): Arm {
  const thresholds = cache.get(arms) ?? splitThresholds(arms.map((a) => a.share));
  cache.set(arms, thresholds);
  // The thresholds are 32-bit numbers in hex (a journey split's, split-thresholds.ts).
  const bucket = Math.floor(bucketOf(profileId, campaignId) * 2 ** 32);
  const i = thresholds.findIndex((t) => bucket < Number.parseInt(t, 16));
  return arms[i === -1 ? arms.length - 1 : i]!;
}


/** Counts by arm summed (the batches of a run, the runs of a campaign); undefined when none has arms. */
export function addArmOutcomes(outcomes: ReadonlyArray<Record<string, ArmOutcome> | undefined>): Record<string, ArmOutcome> | undefined {
  let sum: Record<string, ArmOutcome> | undefined;
  for (const arms of outcomes) {
    for (const [id, o] of Object.entries(arms ?? {})) {
      const into = ((sum ??= {})[id] ??= { assigned: 0, sent: 0, skipped: 0, failed: 0 });
      for (const k of ['assigned', 'sent', 'skipped', 'failed'] as const) into[k] += o[k];
    }
  }
  return sum;
}
