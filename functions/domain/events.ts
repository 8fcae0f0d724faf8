import type { Attributes, ProfileView } from './profile';

/** An event as accepted by the API, after validation. */
export interface TrackedEvent {
  id: string;
  type: string;
  profileId: string;
  /** When it happened, ISO 8601 (the receive time when the sender gave none). */
  timestamp: string;
  properties: Record<string, unknown>;
  /** Attributes to merge into the profile. */
  attributes?: Attributes;
  /** Attributes to remove (PATCH with null); `replaceAttributes` removes every attribute not given (PUT). */
  unset?: string[];
  replaceAttributes?: boolean;
  /** Consent changes (the profile API's `consents`), applied at the event's time. */
  consents?: Array<{ channel: string; list: string; status: 'granted' | 'denied' }>;
  /** Other identities of the person (`type:value`, see identity.ts), linked to the profile. */
  identities?: string[];
  /**
   * Applied (profile, stitching, history, audiences) but put on no bus and resuming no wait, nor are the
   * audience entries it causes: a bulk import, which starts no journey unless asked.
   */
  quiet?: true;
}

/** What goes on the bus: the event and the profile as merged by it, so entry conditions need no read. */
export interface BusDetail {
  event: Omit<TrackedEvent, 'attributes' | 'identities' | 'unset' | 'replaceAttributes' | 'consents' | 'quiet'>;
  profile: ProfileView;
  /** On jump events: the journey to enter. */
  target?: string;
}

/** An event as the history keeps it (and audiences read it). */
export interface HistoryEvent {
  id: string;
  type: string;
  timestamp: string;
  properties: Record<string, unknown>;
}
