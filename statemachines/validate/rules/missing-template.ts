import { jsonPath } from '../../errors';
import { templatesOf } from '../../kinds';
import type { Rule } from '../rule';
import { didYouMean } from '../../suggest';

/** A message step needs a template of its name in the workspace, made for its channel (each option of a choice too). */
export const missingTemplate: Rule = ({ steps, templates }) => {
  if (!templates) return [];
  return Object.entries(steps).flatMap(([id, step]) =>
    templatesOf(step).flatMap((option, i) => {
      const path = jsonPath(step.type === 'message' ? ['steps', id, 'channels', i, 'template'] : ['steps', id, 'template']);
      // A template whose file has mistakes exists: those mistakes are reported on its file, not here.
      if (templates.has(option.template) && templates.get(option.template) === undefined) return [];
      const channel = templates.get(option.template);
      if (channel === undefined) {
        return [{ code: 'missing-template' as const, path, message: `no template "${option.template}" in the workspace${didYouMean(option.template, templates.keys())} (expected templates/${option.template}.json)` }];
      }
      if (channel !== option.channel) {
        return [{ code: 'missing-template' as const, path, message: `template "${option.template}" is for ${channel}, and this step sends ${option.channel}` }];
      }
      return [];
    }),
  );
};
