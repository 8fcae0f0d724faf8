import type { JourneyIssue } from '../errors';
import type { Steps } from '../graph';
import type { Journey } from '../schema/journey';

export interface RuleInput {
  /** The journey's own fields, when they parsed. */
  envelope: Omit<Journey, 'steps'> | undefined;
  /** The start step, when the envelope parsed. */
  start: string | undefined;
  /** The steps that parsed; others are reported already. */
  steps: Steps;
  /** Every step id written in the file, parsed or not, so references to a broken step are not reported twice. */
  declared: ReadonlySet<string>;
  /** All steps parsed and all references resolve: graph-wide rules only speak when they see the whole graph. */
  complete: boolean;
  /** The workspace's action names, when known. */
  actions: ReadonlySet<string> | undefined;
  /** The workspace's decision ids, when known. */
  decisions: ReadonlySet<string> | undefined;
  /** The workspace's templates, name to channel, when known. */
  templates: ReadonlyMap<string, string | undefined> | undefined;
}

export type Rule = (input: RuleInput) => JourneyIssue[];
