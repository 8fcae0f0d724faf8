import { createHash } from 'node:crypto';

// Where each journey is deployed, apart from the CDK constructs so `jo stack` can say it without loading the CDK.

/** Journey stacks by default: room for about 600 journeys (the hash spreads them unevenly; each holds 80 at most). */
export const DEFAULT_JOURNEY_STACKS = 8;

/**
 * The journey stack a journey lives in (0-based): the hash of its id, modulo the number of journey stacks
 * (context `journeyStacks`). Stable: adding, changing or removing a journey changes only its own stack.
 */
export function journeyStackOf(journeyId: string, stacks: number): number {
  return Number.parseInt(createHash('sha256').update(journeyId).digest('hex').slice(0, 8), 16) % stacks;
}

/** The CloudFormation stack name of journey stack `group` (0-based). */
export const journeyStackName = (platformStack: string, group: number) => `${platformStack}-Journeys${group + 1}`;
