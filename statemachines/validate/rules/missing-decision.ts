import { jsonPath } from '../../errors';
import type { Rule } from '../rule';
import { didYouMean } from '../../suggest';

export const missingDecision: Rule = ({ steps, decisions }) => {
  if (!decisions) return [];
  return Object.entries(steps).flatMap(([id, step]) =>
    step.type === 'decide' && !decisions.has(step.decision)
      ? [{ code: 'missing-decision' as const, path: jsonPath(['steps', id, 'decision']), message: `no decision "${step.decision}" in the workspace${didYouMean(step.decision, decisions)} (expected decisions/${step.decision}.json)` }]
      : [],
  );
};
