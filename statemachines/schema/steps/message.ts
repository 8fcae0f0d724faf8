import * as z from 'zod';
import { stepId, templateName } from '../ids';

export const MESSAGE_CHANNELS = ['email', 'push', 'sms'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** The shape every message step shares: a template of its channel, where to go next, and on failure. */
export function messageStep<C extends MessageChannel>(channel: C, description: string) {
  return z
    .strictObject({
      type: z.literal(channel),
      template: templateName,
      next: stepId,
      onError: stepId.optional(),
    })
    .meta({ description });
}
