import type * as z from 'zod';
import { issueMessage, jsonPath, type JourneyIssue } from '../errors';
import { journeyEnvelope, type Journey } from '../schema/journey';
import { stepId } from '../schema/ids';
import { kindNamed, STEP_KINDS, stepSchema, type Step } from '../kinds';
import { didYouMean } from '../suggest';
import type { Rule } from './rule';
import { unknownStep } from './rules/unknown-step';
import { unreachableStep } from './rules/unreachable-step';
import { missingTemplate } from './rules/missing-template';
import { cycleWithoutWait } from './rules/cycle-without-wait';
import { badDuration } from './rules/bad-duration';
import { missingAction } from './rules/missing-action';
import { missingDecision } from './rules/missing-decision';

export const RULES: readonly Rule[] = [unknownStep, unreachableStep, missingTemplate, missingAction, missingDecision, cycleWithoutWait, badDuration];

export interface ValidateOptions {
  /** The workspace's templates, name to channel (undefined for a file with mistakes); without it the missing-template rule is skipped. */
  templates?: ReadonlyMap<string, string | undefined>;
  /** The workspace's action names; without it the missing-action rule is skipped. */
  actions?: ReadonlySet<string>;
  /** The workspace's decision ids; without it the missing-decision rule is skipped. */
  decisions?: ReadonlySet<string>;
}

export type ValidationResult = { ok: true; journey: Journey } | { ok: false; issues: JourneyIssue[] };

/** zod's issues, each with its JSON path; an unknown field at the top of the object gets a "did you mean" from `fields`. */
function fromZod(error: z.ZodError, prefix: PropertyKey[] = [], fields: readonly string[] = []): JourneyIssue[] {
  return error.issues.map((i) => {
    const hint = i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys.map((k) => didYouMean(k, fields)).join('') : '';
    return { code: 'invalid-field', path: jsonPath([...prefix, ...i.path]), message: `${issueMessage(i)}${hint}` };
  });
}

/** The fields a step of this type takes (for "did you mean"), if the type is one. */
function stepFields(rawStep: unknown): string[] {
  const type = (rawStep as { type?: unknown } | null)?.type;
  return typeof type === 'string' && (STEP_KINDS as string[]).includes(type) ? Object.keys((kindNamed(type as never).schema as unknown as z.ZodObject).shape) : [];
}

/** Validates a parsed journey file, reporting every problem found, each with its JSON path. */
export function validateJourney(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const issues: JourneyIssue[] = [];
  const envelope = journeyEnvelope.safeParse(raw);
  if (!envelope.success) issues.push(...fromZod(envelope.error, [], Object.keys(journeyEnvelope.shape)));

  const rawSteps = (raw as { steps?: unknown } | null)?.steps;
  const steps: Record<string, Step> = {};
  const declared = new Set<string>();
  if (typeof rawSteps === 'object' && rawSteps !== null && !Array.isArray(rawSteps)) {
    for (const [id, rawStep] of Object.entries(rawSteps)) {
      declared.add(id);
      const idCheck = stepId.safeParse(id);
      if (!idCheck.success) issues.push(...fromZod(idCheck.error, ['steps', id]).map((i) => ({ ...i, message: `step id ${i.message}` })));
      const parsed = stepSchema.safeParse(rawStep);
      if (parsed.success) steps[id] = parsed.data;
      else issues.push(...fromZod(parsed.error, ['steps', id], stepFields(rawStep)));
    }
  }
  const start = typeof (raw as { start?: unknown } | null)?.start === 'string' ? (raw as { start: string }).start : undefined;
  const input = { envelope: envelope.success ? envelope.data : undefined, start, steps, declared, complete: false, templates: options.templates, actions: options.actions, decisions: options.decisions };
  // A typo in one reference would make everything behind it look unreachable: graph-wide rules wait until
  // every step parsed and every reference resolves.
  const dangling = unknownStep(input);
  input.complete = Object.keys(steps).length === declared.size && dangling.length === 0;
  issues.push(...dangling);
  for (const rule of RULES) if (rule !== unknownStep) issues.push(...rule(input));

  if (issues.length > 0 || !envelope.success) return { ok: false, issues };
  // Everything parsed already, step by step: assemble rather than parse it all again.
  return { ok: true, journey: { ...envelope.data, steps } };
}
