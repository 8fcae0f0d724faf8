import middy from '@middy/core';
import { jumpToJourney, type JumpTask } from '../../domain/jump';
import type { Bus } from '../../ports';

export function createJumpHandler(deps: { bus: Bus }) {
  return middy<JumpTask, { visit: number }>().handler((task) => jumpToJourney(task, deps.bus));
}
