import type { SmsStep } from '../../schema/steps';
import { messageKind } from './message';

export const sms = messageKind<SmsStep>('sms', 'SMS');
