import type { Journey } from '../schema/journey';
import { kindNamed, kindOf, type Look, type Step } from '../kinds';
import { FILLS } from '../kinds/kind';
import { breadthFirst } from '../graph';
import { describePredicate } from './describe';

export { describePredicate };

// A journey as people draw it: its steps and the labelled ways between them. Pure; `jo graph` renders it to
// Mermaid text and to SVG.

export interface OutlineNode {
  id: string;
  kind: Step['type'] | 'holdout';
  label: string;
}
export interface OutlineEdge {
  from: string;
  to: string;
  label: string;
}
export interface Outline {
  title: string;
  entry: string;
  /** Journey-wide rules: re-entry, exit criteria, goal. */
  notes: string[];
  nodes: OutlineNode[];
  edges: OutlineEdge[];
}

/** Nodes that are no step of their own: a split's holdout, and the journey's entry. */
const PSEUDO_LOOKS: Record<'holdout' | 'entry', Look> = { holdout: { fill: FILLS.end, shape: 'terminal' }, entry: { fill: '#ffffff', shape: 'terminal' } };

/** How a node of the outline (or the entry) is drawn: its kind's look. */
export function lookOf(kind: OutlineNode['kind'] | 'entry'): Look {
  return kind === 'holdout' || kind === 'entry' ? PSEUDO_LOOKS[kind] : kindNamed(kind).look;
}

function edgesOf(id: string, step: Step): OutlineEdge[] {
  const kind = kindOf(step);
  const edges = kind.edges ? kind.edges(id, step) : kind.refs(step).map((r) => ({ to: r.to, label: r.path[0] === 'onError' ? 'on error' : '' }));
  return edges.map((e) => ({ from: id, ...e }));
}

export function outlineJourney(journey: Journey): Outline {
  const nodes: OutlineNode[] = [];
  const edges: OutlineEdge[] = [];
  for (const id of breadthFirst(journey.start, journey.steps)) {
    const step = journey.steps[id]!;
    nodes.push({ id, kind: step.type, label: `${id}: ${kindOf(step).label(step)}` });
    if (step.type === 'split' && step.paths.some((p) => p.holdout)) nodes.push({ id: `${id}.holdout`, kind: 'holdout', label: 'holdout' });
    edges.push(...edgesOf(id, step));
  }
  const when = journey.entry.when ? ` where ${describePredicate(journey.entry.when)}` : '';
  const notes: string[] = [];
  if (journey.entry.correlateBy) notes.push(`once per ${journey.entry.correlateBy}`);
  if (journey.reentry) notes.push(`re-entry: ${typeof journey.reentry === 'object' ? `after ${journey.reentry.after}` : journey.reentry}`);
  for (const e of journey.exitOn ?? []) notes.push(`exits on ${e.event}${e.where ? ` where ${describePredicate(e.where)}` : ''}`);
  if (journey.goal) notes.push(`goal: ${journey.goal.event} within ${journey.goal.within}${journey.goal.exit ? ', then exits' : ''}`);
  return { title: journey.name, entry: journey.entry.event === undefined ? 'by a jump or a campaign' : `on ${journey.entry.event}${when}`, notes, nodes, edges };
}
