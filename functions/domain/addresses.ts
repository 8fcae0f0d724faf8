import { CHANNELS, type AddressKind, type Channel } from '../../statemachines/channels';
import type { AddressOf, Addresses, PushAddress } from '../ports';
import type { Profile } from './profile';

// Where a profile is reached, by the kind of address its channel uses (statemachines/channels.ts). A Record
// over the kinds: a new kind without a reader is a type error.

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/; // E.164
const PLATFORMS = new Set(['APNS', 'APNS_SANDBOX', 'GCM']);

const READERS: { [K in AddressKind]: (profile: Profile) => Addresses[K] | undefined } = {
  email: ({ attributes: a }) => (typeof a.email === 'string' && EMAIL.test(a.email) ? a.email : undefined),
  phone: ({ attributes: a }) => (typeof a.phone === 'string' && PHONE.test(a.phone) ? a.phone : undefined),
  pushTokens: ({ attributes: a }) => {
    const tokens = (Array.isArray(a.pushTokens) ? a.pushTokens : []).filter(
      (t): t is PushAddress => typeof t?.token === 'string' && t.token.length > 0 && PLATFORMS.has(t?.platform),
    );
    return tokens.length > 0 ? tokens : undefined;
  },
  profile: (profile) => profile.id,
};

/** Where the message goes, from the profile: undefined when the profile has no usable address. */
export function addressOf<C extends Channel>(channel: C, profile: Profile | undefined): AddressOf<C> | undefined {
  return profile ? (READERS[CHANNELS[channel].address](profile) as AddressOf<C> | undefined) : undefined;
}
