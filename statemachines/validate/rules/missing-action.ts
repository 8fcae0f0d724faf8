import { jsonPath } from '../../errors';
import type { Rule } from '../rule';
import { didYouMean } from '../../suggest';

export const missingAction: Rule = ({ steps, actions }) => {
  if (!actions) return [];
  return Object.entries(steps).flatMap(([id, step]) =>
    step.type === 'webhook' && !actions.has(step.action)
      ? [{ code: 'missing-action' as const, path: jsonPath(['steps', id, 'action']), message: `no action "${step.action}" in the workspace${didYouMean(step.action, actions)} (expected actions/${step.action}.json)` }]
      : [],
  );
};
