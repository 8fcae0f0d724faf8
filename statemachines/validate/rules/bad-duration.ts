import { jsonPath } from '../../errors';
import { parseDuration, parseTimestamp } from '../../schema/duration';
import type { Rule } from '../rule';

const journeyDurations: Rule = ({ envelope }) => {
  const found: Array<[PropertyKey[], string]> = [];
  if (typeof envelope?.reentry === 'object') found.push([['reentry', 'after'], envelope.reentry.after]);
  if (envelope?.goal) found.push([['goal', 'within'], envelope.goal.within]);
  return found.flatMap(([path, text]) => {
    const result = parseDuration(text);
    return result.ok ? [] : [{ code: 'bad-duration' as const, path: jsonPath(path), message: result.reason }];
  });
};

export const badDuration: Rule = (input) => [...journeyDurations(input), ...stepDurations(input)];

const stepDurations: Rule = ({ steps }) =>
  Object.entries(steps).flatMap(([id, step]) => {
    if (step.type === 'waitForEvent') {
      const result = parseDuration(step.timeout);
      return result.ok ? [] : [{ code: 'bad-duration' as const, path: jsonPath(['steps', id, 'timeout']), message: result.reason }];
    }
    if (step.type !== 'wait') return [];
    const at = (field: string) => jsonPath(['steps', id, field]);
    if ([step.for, step.until, step.atLocalTime].filter((v) => v !== undefined).length !== 1) {
      return [{ code: 'bad-duration' as const, path: jsonPath(['steps', id]), message: 'a wait needs exactly one of "for" (a duration), "until" (a timestamp) or "atLocalTime" (HH:MM)' }];
    }
    if (step.atLocalTime !== undefined || typeof step.until === 'object') return []; // checked by the schema, or when the profile gets there
    const result = step.for !== undefined ? parseDuration(step.for) : parseTimestamp(step.until!);
    return result.ok ? [] : [{ code: 'bad-duration' as const, path: at(step.for !== undefined ? 'for' : 'until'), message: result.reason }];
  });
