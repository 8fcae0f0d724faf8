import middy from '@middy/core';
import { fileWait, type WaitTask } from '../../domain/wait-for-event';
import { close, park, type CloseTask, type ContinuationDeps, type ParkTask } from '../../domain/continuations';

export type WaitInput = WaitTask | ParkTask | CloseTask;

/**
 * The waits of a run. Standard: a waitForEvent task files its token. Express: a segment parks the run (its
 * resume schedule invokes the runs function) or closes it.
 */
export function createWaitHandler(deps: ContinuationDeps) {
  return middy<WaitInput, unknown>().handler(async (input) => {
    if (!('operation' in input)) {
      await fileWait(input, deps);
      return { filed: true };
    }
    return input.operation === 'park' ? park(input, deps) : close(input, deps);
  });
}
