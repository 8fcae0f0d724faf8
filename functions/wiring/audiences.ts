import { compileAudiences, type AudienceSet } from '../domain/audiences';
import type { Platform } from '../platform';

/** The workspace's audiences, compiled once per version of the slice (the local runtime reloads it). */
export function audienceSetOf(p: Platform): AudienceSet {
  const current = () => {
    const list = p.workspace('audiences');
    return p.once(`audiences:${audienceVersions.get(list) ?? remember(list)}`, () => compileAudiences(list));
  };
  return {
    get audiences() {
      return current().audiences;
    },
    affectedBy: (type, changed) => current().affectedBy(type, changed),
    timeDependent: () => current().timeDependent(),
  };
}
const audienceVersions = new WeakMap<object, number>();
let audienceVersion = 0;
const remember = (list: object) => {
  audienceVersion += 1;
  audienceVersions.set(list, audienceVersion);
  return audienceVersion;
};
