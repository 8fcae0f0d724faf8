import { audienceReads, type Audience } from './schema/audience';

// The audiences of a workspace, checked as a set: references name existing audiences and form no cycle.
// Pure, like the rest of the language.

export interface AudienceIssue {
  id: string;
  path: string;
  code: 'unknown-audience' | 'audience-cycle';
  message: string;
}

/** The audiences in dependency order (an audience after those it refers to), or the problems found. */
export function orderAudiences(audiences: readonly Audience[]): { ok: true; ordered: Audience[] } | { ok: false; issues: AudienceIssue[] } {
  const byId = new Map(audiences.map((a) => [a.id, a]));
  const issues: AudienceIssue[] = [];
  for (const a of audiences) {
    for (const ref of audienceReads(a.where).audiences) {
      if (!byId.has(ref)) issues.push({ id: a.id, path: '$.where', code: 'unknown-audience', message: `no audience "${ref}"; audiences are: ${[...byId.keys()].join(', ')}` });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const ordered: Audience[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (a: Audience, trail: string[]): void => {
    if (state.get(a.id) === 'done') return;
    if (state.get(a.id) === 'visiting') {
      issues.push({ id: a.id, path: '$.where', code: 'audience-cycle', message: `audiences refer to each other in a cycle: ${[...trail, a.id].join(' → ')}` });
      return;
    }
    state.set(a.id, 'visiting');
    for (const ref of [...audienceReads(a.where).audiences].sort()) visit(byId.get(ref)!, [...trail, a.id]);
    state.set(a.id, 'done');
    ordered.push(a);
  };
  for (const a of [...audiences].sort((x, y) => x.id.localeCompare(y.id))) visit(a, []);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, ordered };
}
