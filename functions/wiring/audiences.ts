import type { Audience } from '../../statemachines';
import { compileAudiences, type AudienceSet } from '../domain/audiences';
import type { Platform } from '../platform';

// Compiled once per list: the AWS slice never changes, the local runtime's changes with each reload (and the
// old compiled set goes with the old list).
const compiled = new WeakMap<readonly Audience[], AudienceSet>();

/** The workspace's audiences, compiled once per version of the slice (the local runtime reloads it). */
export function audienceSetOf(p: Platform): AudienceSet {
  const current = () => {
    const list = p.workspace('audiences');
    let set = compiled.get(list);
    if (!set) compiled.set(list, (set = compileAudiences(list)));
    return set;
  };
  return {
    get audiences() {
      return current().audiences;
    },
    affectedBy: (type, changed) => current().affectedBy(type, changed),
    timeDependent: () => current().timeDependent(),
  };
}
