import middy from '@middy/core';
import * as z from 'zod';
import { handleSesFeedback, type FeedbackDeps, type SesEvent } from '../../domain/feedback';
import type { Log } from '../../ports';

// The rule on SES's configuration-set events (EventBridge, source aws.ses) invokes this with the event.
const sesEvent = z.object({
  detail: z.looseObject({
    eventType: z.string(),
    mail: z.looseObject({ messageId: z.string(), destination: z.array(z.string()), tags: z.record(z.string(), z.array(z.string())).optional(), timestamp: z.string().optional() }),
  }),
});

export function createFeedbackHandler(deps: FeedbackDeps & { log: Log }) {
  return middy<unknown, { suppressed: number; events: number }>().handler(async (raw) => {
    const { detail } = sesEvent.parse(raw);
    const result = await handleSesFeedback(detail as unknown as SesEvent, deps);
    deps.log.info('delivery feedback', { eventType: detail.eventType, ...result });
    return result;
  });
}
