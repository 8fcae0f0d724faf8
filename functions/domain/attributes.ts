import * as z from 'zod';
import { attributeName } from '../../statemachines/schema/ids';
import { didYouMean } from '../../statemachines/suggest';

// attributes.json (optional): the profile attributes a workspace uses, with their types. When it exists,
// templates, predicates and profile writes (PUT / PATCH /profiles/{id}) may name only these, so a typo is an
// error that names the closest attribute instead of a value that is silently empty.

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date', 'list', 'object'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const attributesFileSchema = z
  .strictObject({
    attributes: z.record(attributeName, z.strictObject({ type: z.enum(ATTRIBUTE_TYPES), description: z.string().max(1000).optional() })).describe('The profile attributes, by name.'),
  })
  .meta({ id: 'Attributes', description: 'attributes.json: the profile attributes the workspace declares' });
export type Attributes = Record<string, { type: AttributeType; description?: string | undefined }>;

/** Attributes the product itself reads: always known. */
export const BUILT_IN_ATTRIBUTES: Attributes = {
  email: { type: 'string', description: 'Where emails go' },
  phone: { type: 'string', description: 'Where text messages go (E.164)' },
  pushTokens: { type: 'list', description: 'Push devices: { token, platform }' },
  timeZone: { type: 'string', description: 'IANA time zone: local times, quiet hours, dates in templates' },
  locale: { type: 'string', description: 'BCP 47 tag: the template variant sent, number and date formats' },
};

export interface AttributeCheck {
  /** Why a name is not an attribute (with the closest), or undefined when it is one. */
  unknown(name: string): string | undefined;
}

export function attributeCheck(declared: Attributes): AttributeCheck {
  const known = { ...BUILT_IN_ATTRIBUTES, ...declared };
  return {
    unknown: (name) => (Object.hasOwn(known, name) ? undefined : `unknown attribute "${name}"${didYouMean(name, Object.keys(known))}: attributes.json declares ${Object.keys(declared).join(', ')}`),
  };
}

const FITS: Record<AttributeType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  date: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  list: Array.isArray,
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

/** The problems of a profile write's attributes against the declared ones (null removes: always allowed). */
export function attributeWriteIssues(declared: Attributes, values: Record<string, unknown>, at = 'attributes'): Array<{ path: string; message: string }> {
  const check = attributeCheck(declared);
  const known = { ...BUILT_IN_ATTRIBUTES, ...declared };
  return Object.entries(values).flatMap(([name, value]) => {
    const problem = check.unknown(name);
    if (problem) return [{ path: `${at}.${name}`, message: problem }];
    const type = known[name]!.type;
    return value === null || FITS[type](value) ? [] : [{ path: `${at}.${name}`, message: `must be a ${type} (attributes.json)` }];
  });
}
