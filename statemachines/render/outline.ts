import type { Journey } from '../schema/journey';
import type { Predicate } from '../schema/predicate';
import type { Step } from '../schema/steps';
import { breadthFirst } from '../graph';
import { parseDuration } from '../schema/duration';

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

const OPS: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in', contains: 'contains', startsWith: 'starts with' };

export function describePredicate(p: Predicate): string {
  if ('all' in p) return p.all.map(describePredicate).join(' and ');
  if ('any' in p) return p.any.map(describePredicate).join(' or ');
  if ('not' in p) return `not (${describePredicate(p.not)})`;
  if (p.op === 'exists') return p.value === false ? `no ${p.path}` : `${p.path} exists`;
  return `${p.path} ${OPS[p.op]} ${JSON.stringify(p.value)}`;
}

function nodeLabel(id: string, step: Step): string {
  switch (step.type) {
    case 'condition':
      return `${id}: condition`;
    case 'split':
      return `${id}: split`;
    case 'email':
    case 'push':
    case 'sms':
      return `${id}: ${step.type} ${step.template}`;
    case 'wait':
      if (step.atLocalTime) return `${id}: wait until ${step.atLocalTime} local${step.days ? ` (${step.days.join(', ')})` : ''}`;
      return `${id}: wait ${step.for ?? (typeof step.until === 'object' ? `until ${step.until.path}` : `until ${step.until}`)}`;
    case 'waitForEvent':
      return `${id}: wait for ${step.event}`;
    case 'updateProfile':
      return `${id}: update profile`;
    case 'jump':
      return `${id}: enter journey ${step.journey}`;
    case 'webhook':
      return `${id}: call ${step.action}`;
    case 'decide':
      return `${id}: decide ${step.decision}`;
    case 'end':
      return `${id}: end`;
  }
}

function edgesOf(id: string, step: Step): OutlineEdge[] {
  const edge = (to: string, label = '') => ({ from: id, to, label });
  switch (step.type) {
    case 'condition':
      return [...step.branches.map((b) => edge(b.next, describePredicate(b.when))), edge(step.otherwise, 'otherwise')];
    case 'split': {
      const total = step.paths.reduce((a, p) => a + p.weight, 0);
      return step.paths.map((p) => edge(p.next ?? `${id}.holdout`, `${Math.round((p.weight / total) * 1000) / 10}%`));
    }
    case 'email':
    case 'push':
    case 'sms':
    case 'webhook':
      return [edge(step.next), ...(step.onError ? [edge(step.onError, 'on error')] : [])];
    case 'waitForEvent': {
      const timeout = parseDuration(step.timeout);
      return [edge(step.next, step.where ? `${step.event} where ${describePredicate(step.where)}` : step.event), edge(step.onTimeout, `after ${timeout.ok ? step.timeout : '?'}`)];
    }
    case 'wait':
    case 'updateProfile':
    case 'decide':
      return [edge(step.next)];
    case 'jump':
      return step.next ? [edge(step.next)] : [];
    case 'end':
      return [];
  }
}

export function outlineJourney(journey: Journey): Outline {
  const nodes: OutlineNode[] = [];
  const edges: OutlineEdge[] = [];
  for (const id of breadthFirst(journey.start, journey.steps)) {
    const step = journey.steps[id]!;
    nodes.push({ id, kind: step.type, label: nodeLabel(id, step) });
    if (step.type === 'split' && step.paths.some((p) => p.holdout)) nodes.push({ id: `${id}.holdout`, kind: 'holdout', label: 'holdout' });
    edges.push(...edgesOf(id, step));
  }
  const when = journey.entry.when ? ` where ${describePredicate(journey.entry.when)}` : '';
  const notes: string[] = [];
  if (journey.entry.correlateBy) notes.push(`once per ${journey.entry.correlateBy}`);
  if (journey.reentry) notes.push(`re-entry: ${typeof journey.reentry === 'object' ? `after ${journey.reentry.after}` : journey.reentry}`);
  for (const e of journey.exitOn ?? []) notes.push(`exits on ${e.event}${e.where ? ` where ${describePredicate(e.where)}` : ''}`);
  if (journey.goal) notes.push(`goal: ${journey.goal.event} within ${journey.goal.within}${journey.goal.exit ? ', then exits' : ''}`);
  return { title: journey.name, entry: `on ${journey.entry.event}${when}`, notes, nodes, edges };
}
