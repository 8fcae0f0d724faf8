import * as z from 'zod';

// Step ids become state names (at most 80 characters, with room for a suffix); journey ids name the state
// machine, the EventBridge rule and SES tags, whose alphabet is [A-Za-z0-9_-].
export const stepId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 characters of a-z, 0-9, _ and -, starting with a letter or digit');
export const journeyId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1-48 characters of a-z, 0-9 and -, starting with a letter or digit');
export const templateName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 characters of a-z, 0-9, _ and -');
/** Profile fields the platform computes or keeps apart: no event, API call or journey sets them as attributes. */
export const RESERVED_ATTRIBUTES = ['identities', 'consents', 'audiences', 'userId', 'anonymousId', 'profileId'] as const;
export const attributeName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'attribute names are 1-64 letters, digits and _, starting with a letter')
  .refine((n) => !(RESERVED_ATTRIBUTES as readonly string[]).includes(n), {
    error: (issue) => `"${String(issue.input)}" is reserved (${RESERVED_ATTRIBUTES.join(', ')}): it cannot be set as an attribute`,
  });
/** Event types: `order.delivered`, or Segment-style names such as `Order Completed`. */
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,127}$/;
export const eventType = z.string().regex(EVENT_TYPE_PATTERN, 'must be 1-128 characters of letters, digits, spaces, ".", "_", ":" and "-"');

/** A model id is a path segment of `profile.scores.<id>`: letters, digits and _. */
export const modelId = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be 1-48 characters of a-z, 0-9 and _, starting with a letter (it is read as profile.scores.<id>)');
