import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { attributeCheck, attributesFileSchema, type AttributeCheck, type Attributes } from '../functions/domain/attributes';
import { jsonPath } from '../statemachines';

export type { AttributeCheck };

/** Every `profile.attributes.<name>` a predicate of a definition names, with its JSON path. */
export function predicateAttributes(value: unknown, at: Array<string | number> = []): Array<{ name: string; path: Array<string | number> }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => predicateAttributes(v, [...at, i]));
  if (!value || typeof value !== 'object') return [];
  const own = Object.entries(value as Record<string, unknown>);
  const path = (value as { path?: unknown }).path;
  const here = typeof path === 'string' && 'op' in value && path.startsWith('profile.attributes.') ? [{ name: path.split('.')[2]!, path: [...at, 'path'] }] : [];
  return [...here, ...own.flatMap(([k, v]) => predicateAttributes(v, [...at, k]))];
}

/** The unknown attributes the predicates of a file name, as issues. */
export function checkPredicateAttributes(file: string, value: unknown, check: AttributeCheck | undefined): Array<{ file: string; path: string; code: string; message: string }> {
  if (!check) return [];
  return predicateAttributes(value).flatMap(({ name, path }) => {
    const problem = check.unknown(name);
    return problem ? [{ file, path: jsonPath(path), code: 'unknown-attribute', message: problem }] : [];
  });
}

export const hasAttributesFile = (root: string) => existsSync(join(root, 'attributes.json'));
export { attributeCheck, attributesFileSchema, type Attributes };
