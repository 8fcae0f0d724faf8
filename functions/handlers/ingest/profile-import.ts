import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { TrackedEvent } from '../../domain/events';
import { anonymousProfileId, identityOf } from '../../domain/identity';
import { profileIdSchema } from './schema';
import { profileWriteEvent, profileWriteSchema } from './profile-write';
import { fieldPath } from '../http';
import { issueMessage } from '../../../statemachines/errors';

// POST /profiles/import: up to 100 profiles a request, each a profile write of a known person (`id`) or an
// anonymous one (`anonymousId`). Each becomes a `profile.imported` event whose id is a hash of the line, so an
// import run again is accepted as duplicates and changes nothing. Imported profiles are stitched, kept and
// evaluated for audiences, but put on no bus (they start no journey, and their audience entries do not
// either) unless the request asks: `startJourneys`.

export const MAX_IMPORT_BATCH = 100;

export const profileLineSchema = profileWriteSchema
  .extend({
    id: profileIdSchema.optional().describe('The person (a known user id)'),
    anonymousId: z.string().min(1).max(256).optional().describe('Or an anonymous visitor (such as a Pinpoint endpoint without a user)'),
  })
  .refine((p) => (p.id === undefined) !== (p.anonymousId === undefined), { error: 'give id (a known person) or anonymousId, one of them', path: ['id'] })
  .meta({ id: 'ProfileLine' });
export type ProfileLineInput = z.input<typeof profileLineSchema>;

export const profileImportSchema = z
  .strictObject({
    profiles: z.array(profileLineSchema).min(1).max(MAX_IMPORT_BATCH),
    startJourneys: z.boolean().default(false).describe('Put the imported profiles on the bus, so journeys that enter on profile.imported (or on the audiences they join) start'),
  })
  .meta({ id: 'ProfileImport' });

/** The id of a line's event: the same line imported again is the same event. */
export const importEventId = (line: unknown) => `import-${createHash('sha256').update(JSON.stringify(line)).digest('hex').slice(0, 40)}`;

export function profileImportEvents(body: z.output<typeof profileImportSchema>, receivedAt: string): TrackedEvent[] {
  return body.profiles.map((line) => {
    const { id, anonymousId, ...write } = line;
    const event = profileWriteEvent(write, { profileId: id ?? anonymousProfileId(anonymousId!), replace: false, idempotencyKey: undefined, receivedAt });
    return { ...event, id: importEventId(line), type: 'profile.imported', ...(anonymousId ? { identities: [...(event.identities ?? []), identityOf('anonymousId', anonymousId)] } : {}), ...(body.startJourneys ? {} : { quiet: true as const }) };
  });
}

/** A profile line's value as a profile, or why it is refused (each issue with its field). */
export function checkProfileLine(value: unknown): { profile: z.output<typeof profileLineSchema> } | { message: string } {
  const parsed = profileLineSchema.safeParse(value);
  return parsed.success ? { profile: parsed.data } : { message: parsed.error.issues.map((i) => `${fieldPath(i.path) || 'line'}: ${issueMessage(i)}`).join('; ') };
}

/** A line of a profile file (profiles.jsonl) as a profile, or why it is refused. */
export function readProfileLine(text: string): { value: unknown; profile: z.output<typeof profileLineSchema> } | { message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { message: `not JSON: ${(error as Error).message}` };
  }
  const checked = checkProfileLine(value);
  return 'profile' in checked ? { value, profile: checked.profile } : checked;
}

/** Lines of a file (profiles.jsonl) as import events; a line that is not JSON or not a profile is refused, named. */
export function importLinesAsEvents(lines: ReadonlyArray<{ line: number; text: string }>, receivedAt = new Date().toISOString()): { events: TrackedEvent[]; errors: Array<{ line: number; message: string }> } {
  const errors: Array<{ line: number; message: string }> = [];
  const profiles: Array<z.output<typeof profileLineSchema>> = [];
  for (const { line, text } of lines) {
    const read = readProfileLine(text);
    if ('profile' in read) profiles.push(read.profile);
    else errors.push({ line, message: read.message });
  }
  return { events: profiles.length > 0 ? profileImportEvents({ profiles, startJourneys: false }, receivedAt) : [], errors };
}
