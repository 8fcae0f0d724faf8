import { jsonPath } from '../../errors';
import { breadthFirst } from '../../graph';
import type { Rule } from '../rule';

export const unreachableStep: Rule = ({ start, steps, complete }) => {
  if (!complete || start === undefined || !(start in steps)) return [];
  const reached = new Set(breadthFirst(start, steps));
  return Object.keys(steps)
    .filter((id) => !reached.has(id))
    .map((id) => ({
      code: 'unreachable-step' as const,
      path: jsonPath(['steps', id]),
      message: `no path from start "${start}" leads to "${id}": link it from another step or remove it`,
    }));
};
