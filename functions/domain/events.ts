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
  /** Other identities of the person (`type:value`, see identity.ts), linked to the profile. */
  identities?: string[];
}

/** What goes on the bus: the event and the profile as merged by it, so entry conditions need no read. */
export interface BusDetail {
  event: Omit<TrackedEvent, 'attributes' | 'identities'>;
  profile: ProfileView;
  /** On jump events: the journey to enter. */
  target?: string;
}
