/** The state data's `steps` map: each effect step's last result, with how often the profile has been there. */
import type { StepVisits } from '../../statemachines/contract';

export type { StepVisits };

/**
 * This visit's number. Effects (sends, updates, jumps) are keyed by execution, step and visit: a retried
 * task carries the same map, so the same key; a loop back to the step counts one more.
 */
export function nextVisit(steps: StepVisits, stepId: string): number {
  return (steps[stepId]?.visit ?? 0) + 1;
}
