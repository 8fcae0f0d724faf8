import middy from '@middy/core';
import { sendMessageStep, type SendDeps, type SendResult, type SendTask } from '../../domain/send-message';
import type { Log } from '../../ports';

/** The message steps' Task. Errors keep their names: the state machine's Retry and Catch match on them. */
export function createSendHandler(deps: SendDeps & { log: Log }) {
  return middy<SendTask, SendResult>().handler(async (task) => {
    try {
      const result = await sendMessageStep(task, deps);
      deps.log.info('message step', { journey: task.journey.id, step: task.stepId, status: result.status, reason: result.reason });
      return result;
    } catch (error) {
      deps.log.warn('message step failed', { journey: task.journey.id, step: task.stepId, error: (error as Error).name });
      throw error;
    }
  });
}
