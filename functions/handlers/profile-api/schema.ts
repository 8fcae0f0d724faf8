import * as z from 'zod';

// What the profile API answers, for the API reference (docs/openapi.json). The handler builds these objects
// in functions/domain/privacy.ts; a test checks real answers against these schemas.

export const profileSchema = z
  .strictObject({
    id: z.string().describe('The userId, or anonymous:<anonymousId> for a person not known yet'),
    attributes: z.record(z.string(), z.unknown()),
    identities: z.record(z.string(), z.array(z.string())).describe('By type: userId, anonymousId, email, phone, pushToken'),
    audiences: z.record(z.string(), z.string()).describe('Audience id to when the profile entered it'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Profile' });

export const profileExportSchema = z
  .strictObject({
    profile: profileSchema,
    mergedFrom: z.array(z.string()).describe('Profiles stitched into this one'),
    events: z.array(z.record(z.string(), z.unknown())).describe('The event history (kept 400 days)'),
    sends: z.array(z.record(z.string(), z.unknown())).describe('Messages: journey, step, channel, status, time'),
    journeys: z.array(z.record(z.string(), z.unknown())).describe('Journey runs: status, entry, end, conversion'),
    waiting: z.array(z.record(z.string(), z.unknown())).describe('Journey steps waiting for an event of the person'),
  })
  .meta({ id: 'ProfileExport' });

export const erasureSchema = z.strictObject({ erased: z.literal(true), stoppedJourneys: z.number() }).meta({ id: 'Erasure' });
