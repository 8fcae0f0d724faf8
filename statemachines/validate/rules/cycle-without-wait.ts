import { jsonPath } from '../../errors';
import { cyclesWithoutWait } from '../../graph';
import type { Rule } from '../rule';

export const cycleWithoutWait: Rule = ({ steps }) =>
  cyclesWithoutWait(steps).map((cycle) => ({
    code: 'cycle-without-wait' as const,
    path: jsonPath(['steps', cycle[0]!]),
    message: `steps ${cycle.join(' -> ')} form a loop with no wait step: add a wait inside the loop`,
  }));
