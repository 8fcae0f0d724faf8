// Every problem in a journey file is reported with a stable code, the JSON path inside the file, and a message
// that says what to fix. All of them are collected before anything is reported.

import type * as z from 'zod';

/** A zod issue's message; a bad record key says what is wrong with the key, not just "Invalid key in record". */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues[0]) return issue.issues[0].message;
  // A field left out reads as what it is, not as zod's "expected string, received undefined".
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `required (${issue.expected})`;
  return issue.message;
}

export const ISSUE_CODES = [
  'invalid-field',
  'unknown-step',
  'unreachable-step',
  'missing-template',
  'missing-action',
  'missing-decision',
  'cycle-without-wait',
  'bad-duration',
  'limit-exceeded',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface JourneyIssue {
  code: IssueCode;
  /** JSONPath into the journey file, such as $.steps.pause.for */
  path: string;
  message: string;
}

export function jsonPath(segments: readonly PropertyKey[]): string {
  return (
    '$' +
    segments
      .map((s) => {
        if (typeof s === 'number') return `[${s}]`;
        const key = String(s);
        return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
      })
      .join('')
  );
}

export function formatIssue(issue: JourneyIssue, file?: string): string {
  return `${file ? `${file} ` : ''}${issue.path}: ${issue.code}: ${issue.message}`;
}

export class JourneyValidationError extends Error {
  override readonly name = 'JourneyValidationError';
  constructor(
    readonly issues: readonly JourneyIssue[],
    readonly file?: string,
  ) {
    super(`${issues.length} problem(s) in ${file ?? 'journey'}:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
  }
}
