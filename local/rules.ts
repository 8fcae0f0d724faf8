import { campaignGoalRule, entryRule, jumpRule, runRules } from '../statemachines';
import { entryCandidate, type EntryCandidate } from '../functions/domain/arbitration';
import type { FunctionKey } from '../functions/catalogue';
import type { EntryDirectory } from '../functions/ports';
import type { Workspace } from '../workspace/load';
import type { LocalRule } from './bus';
import type { LocalFunction } from './lambda';
import type { LocalStepFunctions } from './stepfunctions';

// The same rules, with the same target inputs, as the CDK app: the rule's static part and the event's detail.
export function busRules(ws: Workspace, stepFunctions: LocalStepFunctions, functions: Record<FunctionKey, LocalFunction>): LocalRule[] {
  const journeys = ws.journeys.flatMap(({ journey, definition, version, mode }): LocalRule[] => {
    const entry = entryRule(journey, version, mode);
    const jump = jumpRule(journey, version, mode);
    const stateMachineArn = stepFunctions.register(journey.id, definition, version, mode === 'express' ? 'EXPRESS' : 'STANDARD');
    return [
      ...(entry ? [{ name: `journey-${journey.id}`, eventPattern: entry.eventPattern, deliver: (event: { detail: unknown }) => functions.starter({ ...entry.target, stateMachineArn, detail: event.detail }) }] : []),
      { name: `journey-${journey.id}-jump`, eventPattern: jump.eventPattern, deliver: (event) => functions.starter({ ...jump.target, stateMachineArn, detail: event.detail }) },
      ...runRules(journey).map((rule) => ({ name: `journey-${journey.id}-${rule.kind}`, eventPattern: rule.eventPattern, deliver: (event: { detail: unknown }) => functions.runs({ ...rule.target, detail: event.detail }) })),
    ];
  });
  const goals = Object.values(ws.campaigns).flatMap((campaign): LocalRule[] => {
    const rule = campaignGoalRule(campaign);
    return rule ? [{ name: `campaign-${campaign.id}-goal`, eventPattern: rule.eventPattern, deliver: (event) => functions.runs({ ...rule.target, detail: event.detail }) }] : [];
  });
  return [...journeys, ...goals];
}

/** The entry directory of the workspace as loaded now (on AWS, the journey stacks write it to the table). */
export function localEntries(workspace: () => Workspace): EntryDirectory {
  const byType = new WeakMap<Workspace, Map<string, EntryCandidate[]>>();
  return {
    async candidates(eventType) {
      const ws = workspace();
      let index = byType.get(ws);
      if (!index) {
        index = new Map();
        for (const { journey } of ws.journeys) {
          const listed = entryCandidate(journey);
          if (!listed) continue;
          const { event, ...candidate } = listed;
          index.set(event, [...(index.get(event) ?? []), candidate]);
        }
        byType.set(ws, index);
      }
      return index.get(eventType) ?? [];
    },
  };
}
