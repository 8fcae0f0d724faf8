import { jsonPath } from '../../errors';
import { isMessageStep } from '../../kinds';
import type { Rule } from '../rule';
import { didYouMean } from '../../suggest';

/** A message step needs a template of its name in the workspace, made for its channel. */
export const missingTemplate: Rule = ({ steps, templates }) => {
  if (!templates) return [];
  return Object.entries(steps).flatMap(([id, step]) => {
    if (!isMessageStep(step)) return [];
    const path = jsonPath(['steps', id, 'template']);
    // A template whose file has mistakes exists: those mistakes are reported on its file, not here.
    if (templates.has(step.template) && templates.get(step.template) === undefined) return [];
    const channel = templates.get(step.template);
    if (channel === undefined) {
      return [{ code: 'missing-template' as const, path, message: `no template "${step.template}" in the workspace${didYouMean(step.template, templates.keys())} (expected templates/${step.template}.json)` }];
    }
    if (channel !== step.type) {
      return [{ code: 'missing-template' as const, path, message: `template "${step.template}" is for ${channel}, and this step sends ${step.type}` }];
    }
    return [];
  });
};
