import type { PushStep } from '../../schema/steps';
import { messageKind } from './message';

export const push = messageKind<PushStep>('push', 'Push');
