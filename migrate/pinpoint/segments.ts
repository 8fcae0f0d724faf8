import type { SegmentGroup, SegmentResponse } from '@aws-sdk/client-pinpoint';
import type { AudiencePredicate } from '../../statemachines';
import { dimensionsPredicate, ENDPOINT_CHANNELS, PRODUCT_CHANNEL } from './predicates';
import { attributeName, type MigrationLog } from './report';

// Pinpoint segments as audiences. Dimensional segments and segment groups become audience predicates (the
// groups' base segments as audience references); an imported segment becomes a static audience: an attribute
// the profile import sets on the members its endpoint export lists (endpoints/segment-<id>*.jsonl).

type Written = Record<string, unknown>;
const EVERYONE: AudiencePredicate = { path: 'profile.id', op: 'exists' };

const combine = (ps: AudiencePredicate[], how: string | undefined): AudiencePredicate | undefined => {
  if (ps.length === 0) return undefined;
  if (how === 'NONE') return { not: ps.length === 1 ? ps[0]! : { any: ps } };
  if (ps.length === 1) return ps[0];
  return how === 'ANY' ? { any: ps } : { all: ps };
};

/** The attribute that marks the members of an imported segment. */
export const importedSegmentAttribute = (segmentId: string) => attributeName(`pinpointSegment_${segmentId}`);

function groupPredicate(g: SegmentGroup, ids: Map<string, string>, where: string, log: MigrationLog): AudiencePredicate | undefined {
  const sources = (g.SourceSegments ?? []).flatMap((ref): AudiencePredicate[] => {
    const audience = ref.Id ? ids.get(ref.Id) : undefined;
    if (!audience) log.attend(where, `base segment ${ref.Id} is not in the export: left out of the group`);
    if (ref.Version !== undefined) log.note('Segment versions are not kept: a group refers to the audience as it is now.');
    return audience ? [{ audience }] : [];
  });
  const dims = (g.Dimensions ?? []).flatMap((d) => dimensionsPredicate(d, where, log, true) ?? []);
  const parts = [combine(sources, g.SourceType), combine(dims, g.Type)].filter((p): p is AudiencePredicate => p !== undefined);
  return combine(parts, 'ALL');
}

/**
 * The channels a segment's endpoints are of, when its dimensions name them (Demographic.Channel INCLUSIVE):
 * Pinpoint sends a journey's messages to its participants, the segment's endpoints, so a message of another
 * channel reaches none of them. Undefined when any channel may be in it.
 */
export function channelScope(s: SegmentResponse): Set<string> | undefined {
  const channel = s.Dimensions?.Demographic?.Channel;
  if (!channel?.Values?.length || channel.DimensionType === 'EXCLUSIVE' || s.SegmentGroups) return undefined;
  return new Set(channel.Values.flatMap((c) => PRODUCT_CHANNEL[c] ?? []));
}

/**
 * An audience from a segment; `ids` maps every exported segment id to its audience id, `members` the imported
 * segments whose member export (endpoints/segment-<id>*.jsonl) is in the export.
 */
export function mapSegment(s: SegmentResponse, id: string, ids: Map<string, string>, file: string, log: MigrationLog, members: ReadonlySet<string> = new Set()): Written {
  const where = log.item('segment', s.Id ?? id, file, { to: `audiences/${id}.json` });
  let predicate: AudiencePredicate | undefined;
  if (s.SegmentType === 'IMPORT' || s.ImportDefinition) {
    predicate = { path: `profile.attributes.${importedSegmentAttribute(s.Id ?? id)}`, op: 'eq', value: true };
    const source = s.ImportDefinition?.S3Url ? ` (imported in Pinpoint from ${s.ImportDefinition.S3Url}, ${s.ImportDefinition.Format ?? 'format unknown'})` : '';
    if (members.has(s.Id ?? '')) log.change(where, `a static audience${source}: its members are the profiles of the endpoints in endpoints/segment-${s.Id}*.jsonl, marked ${importedSegmentAttribute(s.Id ?? id)}; it does not change unless profiles are imported again`);
    else log.attend(where, `no members found: no endpoints/segment-${s.Id}*.jsonl in the export${source}, so the audience is empty; export its endpoints (aws pinpoint create-export-job --export-job-request SegmentId=${s.Id},...) and import again`);
    log.note(`Imported segments are static audiences: their members are the profiles whose endpoints are in endpoints/segment-<segment id>*.jsonl (an export job run with --segment-id); the profile import marks them with an attribute such as ${importedSegmentAttribute(s.Id ?? id)}.`);
    log.count('imported segments (static audiences)');
  } else {
    const parts = [dimensionsPredicate(s.Dimensions, where, log, true), combine((s.SegmentGroups?.Groups ?? []).flatMap((g) => groupPredicate(g, ids, where, log) ?? []), s.SegmentGroups?.Include)].filter((p): p is AudiencePredicate => p !== undefined);
    predicate = combine(parts, 'ALL');
    if (s.Dimensions?.Demographic?.Channel?.Values?.length) log.change(where, `a segment of ${s.Dimensions.Demographic.Channel.Values.join(', ')} endpoints: here the people with such an endpoint, active and not opted out (profile.attributes.${ENDPOINT_CHANNELS}); journeys it starts leave out messages of other channels`);
    log.count(s.SegmentGroups ? 'segments with groups' : 'dimensional segments');
  }
  return { id, name: (s.Name ?? id).slice(0, 200), description: `Imported from Amazon Pinpoint segment ${s.Id ?? ''}.`, where: predicate ?? EVERYONE };
}
