import { jsonPath } from '../../errors';
import { kindOf } from '../../kinds';
import type { Rule } from '../rule';
import { didYouMean } from '../../suggest';

export const unknownStep: Rule = ({ start, steps, declared }) => {
  const issues = [];
  const known = [...declared].join(', ');
  if (start !== undefined && !declared.has(start)) {
    issues.push({ code: 'unknown-step' as const, path: '$.start', message: `start names "${start}", which is not a step${didYouMean(start, declared)}; steps are: ${known}` });
  }
  for (const [id, step] of Object.entries(steps)) {
    for (const ref of kindOf(step).refs(step)) {
      if (!declared.has(ref.to)) {
        issues.push({
          code: 'unknown-step' as const,
          path: jsonPath(['steps', id, ...ref.path]),
          message: `"${ref.to}" is not a step${didYouMean(ref.to, declared)}; steps are: ${known}`,
        });
      }
    }
  }
  return issues;
};
