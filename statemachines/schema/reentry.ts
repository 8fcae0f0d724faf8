import * as z from 'zod';

// Apart from journey.ts: the starter checks its input with it, and must not bundle the step kinds.
export const reentrySchema = z
  .union([z.enum(['never', 'always']), z.strictObject({ after: z.string() })], {
    error: 'reentry is "never", "always" or { "after": "<duration>" }',
  })
  .describe('Whether a profile may enter again; by default not while it is in the journey.');
