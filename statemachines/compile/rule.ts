import type { Campaign } from '../schema/campaign';
import type { Journey } from '../schema/journey';
import type { Predicate } from '../schema/predicate';
import { executionMode } from './index';

// How a journey is wired to the event bus, shared by the CDK app and the local runtime's in-process bus.
// Each rule has an event pattern and the static part of its target's input; the bus adds the event's detail
// as `detail` (and the CDK app, or the local runtime, the state machine's ARN).

/** The source of events that the ingest path puts on the bus. */
export const INGEST_SOURCE = 'journeys.ingest';
/** The source and type of the events jump steps put on the bus; `detail.target` names the journey. */
export const JUMP_SOURCE = 'journeys.jump';
export const JUMP_TYPE = 'journey.jump';

export type EventPattern = { source: string[]; 'detail-type': string[]; detail?: Record<string, string[]> };
export type Reentry = NonNullable<Journey['reentry']>;

export interface EntryRule {
  eventPattern: EventPattern;
  /** `journey.version` names the compiled definition the profile enters, for reports and logs. */
  target: {
    journey: { id: string; version: string };
    when?: Predicate;
    correlateBy?: string;
    reentry?: Reentry;
    execution: 'express' | 'standard';
    /** Entry by the journey's own event (not a jump or a campaign): arbitration and journey caps apply. */
    via?: 'event';
    priority?: number;
    category?: string;
    /** The journey is paused: the starter refuses the entry (jumps and campaigns; a paused journey has no entry rule). */
    paused?: true;
  };
}

export interface RunRule {
  /** Which handler of the runs function the rule feeds. */
  kind: 'exit' | 'goal';
  eventPattern: EventPattern;
  target: {
    kind: 'exit' | 'goal';
    journey: { id: string };
    /** The events that match, each with its optional condition. */
    events: Array<{ event: string; where?: Predicate }>;
    correlateBy?: string;
    goal?: { within: string; exit: boolean };
  };
}

const pattern = (types: string[]): EventPattern => ({ source: [INGEST_SOURCE], 'detail-type': [...new Set(types)] });

/** What the starter is told for an entry: the journey and version, its condition, correlation and re-entry. */
function entryTarget(journey: Journey, version: string, execution: 'express' | 'standard'): EntryRule['target'] {
  const { when, correlateBy } = journey.entry;
  return {
    journey: { id: journey.id, version },
    execution,
    ...(when ? { when } : {}),
    ...(correlateBy ? { correlateBy } : {}),
    ...(journey.reentry ? { reentry: journey.reentry } : {}),
    ...(journey.category ? { category: journey.category } : {}),
    ...(journey.paused ? { paused: true as const } : {}),
  };
}

/** The rule on the journey's entry event; undefined for a journey entered only by jumps and campaigns. */
export function entryRule(journey: Journey, version: string, execution: 'express' | 'standard' = executionMode(journey)): EntryRule | undefined {
  const event = journey.entry.event;
  // A fan-out journey's event is a catalog event: its profiles enter by the fan-out's enrolments (jumps).
  // A paused journey takes no entries by its event: no rule, so its events cost nothing.
  if (event === undefined || journey.entry.fanOut || journey.paused) return undefined;
  const { priority } = journey;
  return { eventPattern: pattern([event]), target: { ...entryTarget(journey, version, execution), via: 'event', ...(priority !== undefined ? { priority } : {}) } };
}

/** Where jump steps (and campaigns) enter the journey: its entry target, without the entry condition. */
export function jumpRule(journey: Journey, version: string, execution: 'express' | 'standard' = executionMode(journey)): EntryRule {
  const { when: _entryCondition, ...rest } = entryTarget(journey, version, execution);
  return { eventPattern: { source: [JUMP_SOURCE], 'detail-type': [JUMP_TYPE], detail: { target: [journey.id] } }, target: rest };
}

/** The rules that end runs (exitOn) and count conversions (goal), when the journey has them. */
export function runRules(journey: Journey): RunRule[] {
  const rules: RunRule[] = [];
  const correlateBy = journey.entry.correlateBy ? { correlateBy: journey.entry.correlateBy } : {};
  if (journey.exitOn) {
    const events = journey.exitOn.map((e) => ({ event: e.event, ...(e.where ? { where: e.where } : {}) }));
    rules.push({ kind: 'exit', eventPattern: pattern(events.map((e) => e.event)), target: { kind: 'exit', journey: { id: journey.id }, events, ...correlateBy } });
  }
  if (journey.goal) {
    const { event, where, within, exit } = journey.goal;
    rules.push({
      kind: 'goal',
      eventPattern: pattern([event]),
      target: { kind: 'goal', journey: { id: journey.id }, events: [{ event, ...(where ? { where } : {}) }], ...correlateBy, goal: { within, exit: exit ?? false } },
    });
  }
  return rules;
}

/**
 * A campaign's goal: its event feeds the runs function, which finds the recipient's send of the campaign (a run
 * record of `campaign-<id>` with its arm) within the window and counts the conversion for that arm.
 */
export function campaignGoalRule(campaign: Pick<Campaign, 'id' | 'goal'>): RunRule | undefined {
  if (!campaign.goal) return undefined;
  const { event, where, within } = campaign.goal;
  return { kind: 'goal', eventPattern: pattern([event]), target: { kind: 'goal', journey: { id: `campaign-${campaign.id}` }, events: [{ event, ...(where ? { where } : {}) }], goal: { within, exit: false } } };
}
