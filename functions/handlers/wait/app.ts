import middy from '@middy/core';
import { fileWait, type WaitTask } from '../../domain/wait-for-event';
import type { Clock, ProfileStore, WaitingStore } from '../../ports';

/** The waitForEvent steps' Task: files the token; the state machine then waits until it is answered. */
export function createWaitHandler(deps: { waits: WaitingStore; profiles: ProfileStore; clock: Clock }) {
  return middy<WaitTask, { filed: true }>().handler(async (task) => {
    await fileWait(task, deps);
    return { filed: true };
  });
}
