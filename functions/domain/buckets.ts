import { createHash } from 'node:crypto';

// Where a profile falls for a key, in [0, 1): SHA-256 of `<profile>:<key>`, its first 32 bits. Stable and stored
// nowhere: campaign arms, send-time and model holdouts, and the seeded draws of a channel choice all use it.

export const bucketOf = (profileId: string, key: string): number => createHash('sha256').update(`${profileId}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
