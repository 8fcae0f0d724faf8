import type * as z from 'zod';
import { messageStep } from './message';

export const emailStep = messageStep('email', 'Renders an email template and sends it with SES; a permanent failure goes to `onError`.');
export type EmailStep = z.infer<typeof emailStep>;
