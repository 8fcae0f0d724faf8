// The journey language: schema, validation and compilation to ASL. Pure: no AWS SDK, no I/O.
import { JourneyValidationError } from './errors';
import { compileJourney, executionMode, renderDefinition, type CompileOptions } from './compile';
import { checkLimits } from './compile/limits';
import { validateJourney, type ValidateOptions } from './validate';
import type { StateMachineDefinition } from './asl';
import type { Journey } from './schema/journey';

export * from './errors';
export * from './asl';
export { journeySchema, type Journey } from './schema/journey';
export { predicateSchema, usesProfile, comparisonsOf, type Predicate, type Comparison, type Scalar } from './schema/predicate';
export { parseDuration, parseTimestamp } from './schema/duration';
export { audienceSchema, audiencePredicateSchema, audienceReads, type Audience, type AudiencePredicate, type HistoryCondition, type CountOp } from './schema/audience';
export { orderAudiences, type AudienceIssue } from './audiences';
export { validateJourney, type ValidateOptions, type ValidationResult } from './validate';
export { compileJourney, renderDefinition, executionMode, type CompileOptions } from './compile';
export { toExpress, INLINE_WAIT_MAX_SECONDS } from './compile/express';
export * from './contract';
export * from './channels';
export { channelSchema, messageTemplateSchema, templateSources, type MessageTemplate, type TemplateOf, type RenderedOf } from './schema/template';
export { STEP_KINDS, kindOf, kindNamed, isMessageStep, splitThresholds, type Step, type StepType, type StepOf, type MessageStep } from './kinds';
export { campaignGoalRule, entryRule, jumpRule, runRules, INGEST_SOURCE, JUMP_SOURCE, JUMP_TYPE, type EntryRule, type EventPattern, type RunRule, type Reentry } from './compile/rule';

/** Validates, compiles, and checks the Step Functions limits; throws JourneyValidationError with every problem found. */
export function buildJourney(
  raw: unknown,
  options: ValidateOptions & CompileOptions & { file?: string } = {},
): { journey: Journey; definition: StateMachineDefinition } {
  const result = validateJourney(raw, options);
  if (!result.ok) throw new JourneyValidationError(result.issues, options.file);
  const definition = compileJourney(result.journey, options);
  const limits = checkLimits(definition, Buffer.byteLength(renderDefinition(definition)), executionMode(result.journey, options));
  if (limits.length > 0) throw new JourneyValidationError(limits, options.file);
  return { journey: result.journey, definition };
}
export { outlineJourney, describePredicate, lookOf, type Outline } from './render/outline';
export { toMermaid } from './render/mermaid';
export { layoutOutline, type Layout, type LaidNode, type LaidEdge } from './render/layout';
export { estimateHistory, checkLimits, HISTORY_LIMIT, HISTORY_BUDGET } from './compile/limits';
export { audienceJobsDefinition, AUDIENCE_JOBS_FUNCTION } from './jobs';
export { campaignSchema, schedulerExpression, type Campaign } from './schema/campaign';
export { campaignRunDefinition, CAMPAIGN_FUNCTION } from './campaigns';
