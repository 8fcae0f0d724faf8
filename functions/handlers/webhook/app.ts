import middy from '@middy/core';
import { callWebhook, type WebhookDeps, type WebhookTask } from '../../domain/webhook';
import type { Log } from '../../ports';

/** Webhook steps' task. Errors keep their names: the state machine's Retry and Catch match on them. */
export function createWebhookHandler(deps: WebhookDeps & { log: Log }) {
  return middy<WebhookTask, { visit: number; status: number }>().handler(async (task) => {
    try {
      const result = await callWebhook(task, deps);
      deps.log.info('webhook', { journey: task.journey.id, step: task.stepId, action: task.action, status: result.status });
      return result;
    } catch (error) {
      deps.log.warn('webhook failed', { journey: task.journey.id, step: task.stepId, action: task.action, error: (error as Error).name });
      throw error;
    }
  });
}
