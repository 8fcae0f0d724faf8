import { jsonPath } from '../../errors';
import { isMessageStep } from '../../kinds';
import type { Rule } from '../rule';

/** A message step needs a template of its name in the workspace, made for its channel. */
export const missingTemplate: Rule = ({ steps, templates }) => {
  if (!templates) return [];
  return Object.entries(steps).flatMap(([id, step]) => {
    if (!isMessageStep(step)) return [];
    const path = jsonPath(['steps', id, 'template']);
    const channel = templates.get(step.template);
    if (channel === undefined) {
      return [{ code: 'missing-template' as const, path, message: `no template "${step.template}" in the workspace (expected templates/${step.template}.json)` }];
    }
    if (channel !== step.type) {
      return [{ code: 'missing-template' as const, path, message: `template "${step.template}" is for ${channel}, and this step sends ${step.type}` }];
    }
    return [];
  });
};
