import * as z from 'zod';
import { parseDuration } from './duration';

/** The window send-time optimisation chooses the best hour in (message steps and campaigns): PT1H to P7D. */
export const SEND_WINDOW_DEFAULT = 'PT24H';
/** A window's length in seconds (the default's when not given). */
export const windowSeconds = (within: string | undefined): number => (parseDuration(within ?? SEND_WINDOW_DEFAULT) as { seconds: number }).seconds;

export const sendWindow = z
  .string()
  .refine((d) => {
    const r = parseDuration(d);
    return r.ok && r.seconds >= 3600 && r.seconds <= 7 * 86400;
  }, 'must be a duration from PT1H to P7D, such as PT24H')
  .describe(`With sendTime: the window the best hour is chosen in (${SEND_WINDOW_DEFAULT} when not given)`);
