import type { EmailStep } from '../../schema/steps';
import { messageKind } from './message';

export const email = messageKind<EmailStep>('email', 'Email');
