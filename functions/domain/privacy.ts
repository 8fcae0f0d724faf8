import type { Executions, IdentityStore, Log, ProfileData, ResumeSchedules, ProfileStore, SendLedger, Suppressions } from '../ports';
import { attributeIdentities, ownIdentity, parseIdentity, type IdentityType } from './identity';
import type { Profile } from './profile';
import { loadProfile } from './profile-writes';

// What the API shows of a profile, a person's data export (access), and erasure.

export interface PublicProfile {
  id: string;
  attributes: Record<string, unknown>;
  identities: Partial<Record<IdentityType, string[]>>;
  audiences: Record<string, string>;
  consents: Record<string, Record<string, { status: string; at: string }>>;
  scores: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

export function publicProfile(profile: Profile): PublicProfile {
  const identities: Partial<Record<IdentityType, string[]>> = {};
  for (const identity of profile.identities ?? []) {
    const { type, value } = parseIdentity(identity);
    (identities[type] ??= []).push(value);
  }
  return { id: profile.id, attributes: profile.attributes, identities, audiences: profile.audiences ?? {}, consents: profile.consents ?? {}, scores: profile.scores ?? {}, createdAt: profile.createdAt, updatedAt: profile.updatedAt };
}

export interface PrivacyDeps {
  profiles: ProfileStore;
  identities: IdentityStore;
  data: ProfileData;
  ledger: SendLedger;
  suppressions: Suppressions;
  executions: Executions;
  /** Express runs: the resume schedules of parked runs, deleted on erasure. */
  schedules?: ResumeSchedules;
  log: Log;
}

/** A profile by any identity (`email`, `anonymousId`...), following merges. */
export async function findProfile(identity: string, deps: Pick<PrivacyDeps, 'profiles' | 'identities'>): Promise<Profile | undefined> {
  const owner = await deps.identities.owner(identity);
  if (owner) return loadProfile(deps.profiles, owner);
  // A known profile is found by its userId even before its first identity was indexed.
  const { type, value } = parseIdentity(identity);
  return type === 'userId' ? loadProfile(deps.profiles, value) : undefined;
}

/** Everything held about a person: the profile, identities, events, audience memberships, sends, journeys. */
export async function exportProfile(id: string, deps: Pick<PrivacyDeps, 'profiles' | 'data' | 'ledger'>) {
  const profile = await loadProfile(deps.profiles, id);
  if (!profile) return undefined;
  const held = await deps.data.collect(profile.id);
  const sends = await Promise.all(
    held.sends.map(async (s) => {
      const record = s as { ledgerKey: string; journeyId: string; stepId: string; channel: string };
      const entry = await deps.ledger.read(record.ledgerKey);
      return { journeyId: record.journeyId, stepId: record.stepId, channel: record.channel, status: entry?.status, at: entry?.claimedAt, reason: entry?.reason, messageId: entry?.messageId };
    }),
  );
  return {
    profile: publicProfile(profile),
    mergedFrom: profile.mergedFrom ?? [],
    events: held.history,
    sends,
    offerDecisions: held.decisions,
    inbox: held.inbox,
    journeys: held.runs.map((r) => ({ journeyId: r.journeyId, status: r.status, enteredAt: r.enteredAt, endedAt: r.endedAt, outcome: r.outcome, convertedAt: r.convertedAt })),
    // A consumed continuation is a tombstone kept against late duplicates, not a wait.
    waiting: held.waits.filter((w) => !w.continuation || w.continuation.status === 'parked').map((w) => ({ journeyId: w.journeyId, stepId: w.stepId, eventType: w.eventType })),
  };
}

/** The addresses a profile can be reached at: what erasure suppresses. */
export function addressesOf(profile: Profile): string[] {
  const fromIdentities = (profile.identities ?? []).filter((i) => /^(email|phone|pushToken):/.test(i));
  return [...new Set([...fromIdentities, ...attributeIdentities(profile.attributes)])].map((i) => parseIdentity(i).value);
}

/**
 * Erasure: suppresses the person's addresses first (so nothing re-created can reach them), stops their
 * running journeys, unlinks their identities, and deletes every item under their keys and those of the
 * profiles merged into theirs, the send ledger included. Safe to repeat: the profile item goes last.
 */
export async function eraseProfile(id: string, deps: PrivacyDeps): Promise<{ stoppedJourneys: number } | undefined> {
  const profile = await loadProfile(deps.profiles, id);
  if (!profile) return undefined;
  for (const address of addressesOf(profile)) await deps.suppressions.suppress(address, 'erased');
  const held = await deps.data.collect(profile.id);
  const running = held.runs.filter((r) => r.status === 'running');
  for (const run of running) {
    if (run.mode !== 'express') {
      await deps.executions.stop(run.executionArn, 'profile erased');
      continue;
    }
    // A parked Express run: its resume is deleted, its continuation goes with the data below; a segment under
    // way finds no run to park.
    for (const w of held.waits) if (w.key.startsWith(`${run.executionName}#`) && w.continuation?.status === 'parked') await deps.schedules?.cancel(w);
  }
  for (const identity of new Set([...(profile.identities ?? []), ownIdentity(profile.id)])) await deps.identities.unlink(identity, profile.id);
  for (const merged of profile.mergedFrom ?? []) {
    await deps.identities.unlink(ownIdentity(merged), profile.id);
    await deps.data.erase(merged);
  }
  await deps.data.erase(profile.id);
  deps.log.info('profile erased', { stoppedJourneys: running.length, mergedProfiles: profile.mergedFrom?.length ?? 0 });
  return { stoppedJourneys: running.length };
}
