import type * as z from 'zod';
import { messageStep } from './message';

export const pushStep = messageStep('push', "Sends a push notification to the profile's devices (End User Messaging Push).");
export type PushStep = z.infer<typeof pushStep>;
