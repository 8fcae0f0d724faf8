import type * as z from 'zod';
import { issueMessage, jsonPath, type JourneyIssue } from '../errors';
import { journeyEnvelope, type Journey } from '../schema/journey';
import { stepId } from '../schema/ids';
import { stepSchema, type Step } from '../kinds';
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
  /** The workspace's templates, name to channel; without it the missing-template rule is skipped. */
  templates?: ReadonlyMap<string, string>;
  /** The workspace's action names; without it the missing-action rule is skipped. */
  actions?: ReadonlySet<string>;
  /** The workspace's decision ids; without it the missing-decision rule is skipped. */
  decisions?: ReadonlySet<string>;
}

export type ValidationResult = { ok: true; journey: Journey } | { ok: false; issues: JourneyIssue[] };

function fromZod(error: z.ZodError, prefix: PropertyKey[] = []): JourneyIssue[] {
  return error.issues.map((i) => ({ code: 'invalid-field', path: jsonPath([...prefix, ...i.path]), message: issueMessage(i) }));
}

/** Validates a parsed journey file, reporting every problem found, each with its JSON path. */
export function validateJourney(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const issues: JourneyIssue[] = [];
  const envelope = journeyEnvelope.safeParse(raw);
  if (!envelope.success) issues.push(...fromZod(envelope.error));

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
      else issues.push(...fromZod(parsed.error, ['steps', id]));
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
