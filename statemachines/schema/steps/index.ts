import * as z from 'zod';
import { conditionStep } from './condition';
import { emailStep } from './email';
import { waitStep } from './wait';
import { endStep } from './end';
import { splitStep } from './split';
import { waitForEventStep } from './wait-for-event';
import { updateProfileStep } from './update-profile';
import { jumpStep } from './jump';
import { pushStep } from './push';
import { smsStep } from './sms';
import { webhookStep } from './webhook';
import { decideStep } from './decide';

export const STEP_KINDS = ['condition', 'split', 'email', 'push', 'sms', 'wait', 'waitForEvent', 'updateProfile', 'webhook', 'decide', 'jump', 'end'] as const;

export const stepSchema = z.discriminatedUnion('type', [conditionStep, splitStep, emailStep, pushStep, smsStep, waitStep, waitForEventStep, updateProfileStep, webhookStep, decideStep, jumpStep, endStep], {
  error: `type must be one of ${STEP_KINDS.join(', ')}`,
});
export type Step = z.infer<typeof stepSchema>;
export type StepOf<K extends Step['type']> = Extract<Step, { type: K }>;

export type { ConditionStep } from './condition';
export type { EmailStep } from './email';
export type { WaitStep } from './wait';
export type { EndStep } from './end';
export type { SplitStep } from './split';
export type { WaitForEventStep } from './wait-for-event';
export type { UpdateProfileStep } from './update-profile';
export type { JumpStep } from './jump';
export type { PushStep } from './push';
export type { SmsStep } from './sms';
export type { WebhookStep } from './webhook';
export type { DecideStep } from './decide';
