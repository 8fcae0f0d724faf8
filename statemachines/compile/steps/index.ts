import type { Step } from '../../schema/steps';
import type { StepKind } from '../context';
import { condition } from './condition';
import { email } from './email';
import { wait } from './wait';
import { end } from './end';
import { split } from './split';
import { waitForEvent } from './wait-for-event';
import { updateProfile } from './update-profile';
import { jump } from './jump';
import { push } from './push';
import { sms } from './sms';
import { webhook } from './webhook';
import { decide } from './decide';

const KINDS: { [K in Step['type']]: StepKind<Extract<Step, { type: K }>> } = { condition, split, email, push, sms, wait, waitForEvent, updateProfile, webhook, decide, jump, end };

/** The descriptor of a step's kind, typed for that step. */
export function kindOf<S extends Step>(step: S): StepKind<S> {
  return KINDS[step.type] as unknown as StepKind<S>;
}
