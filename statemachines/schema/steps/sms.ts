import type * as z from 'zod';
import { messageStep } from './message';

export const smsStep = messageStep('sms', "Sends a text message to the profile's phone (End User Messaging SMS).");
export type SmsStep = z.infer<typeof smsStep>;
