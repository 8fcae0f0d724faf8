import { kindOf } from '../../statemachines/kinds';
import { outlineJourney } from '../../statemachines/render/outline';
import type { Journey } from '../../statemachines/schema/journey';
import type { ReportShape } from './reports';

// Apart from reports.ts: the counting points (send, starter...) import that one, and must not bundle the
// journey language with it.

/** What the report needs of a journey: its steps (with the holdouts), those that hold profiles, its outline. */
export function reportShape(journey: Journey): ReportShape {
  const outline = outlineJourney(journey);
  return {
    steps: outline.nodes.map((n) => n.id),
    waiting: Object.entries(journey.steps).filter(([, s]) => kindOf(s).waits).map(([id]) => id),
    outline,
  };
}
