import { jsonPath } from '../../errors';
import type { Rule } from '../rule';

export const missingTemplate: Rule = ({ steps, templates }) => {
  if (!templates) return [];
  return Object.entries(steps).flatMap(([id, step]) =>
    step.type === 'email' && !templates.has(step.template)
      ? [
          {
            code: 'missing-template' as const,
            path: jsonPath(['steps', id, 'template']),
            message: `no template "${step.template}" in the workspace (expected templates/${step.template}.json)`,
          },
        ]
      : [],
  );
};
