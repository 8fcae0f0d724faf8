import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { IDENTITY_TYPES, identityOf, type IdentityType } from '../../domain/identity';
import { decideAndClaim, type Decision, type Offer, type OfferCounters } from '../../domain/offers';
import { findProfile } from '../../domain/privacy';
import { emptyProfile } from '../../domain/profile';
import { loadProfile } from '../../domain/profile-writes';
import type { Clock, IdentityStore, Log, ProfileStore } from '../../ports';
import { HttpError, httpErrors, json, jsonBody } from '../http';

// POST /decisions: the offers of a decision for one person now, with their content for the decision's placement.

export const decisionRequestSchema = z
  .strictObject({
    decision: z.string().min(1).max(64),
    profileId: z.string().min(1).max(256).optional(),
    identity: z.strictObject({ type: z.enum(IDENTITY_TYPES), value: z.string().min(1).max(256) }).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((r) => (r.profileId === undefined) !== (r.identity === undefined), { error: 'give a profileId or an identity', path: ['profileId'] })
  .meta({ id: 'DecisionRequest' });

export interface DecisionApiDeps {
  decisions: (id: string) => Decision | undefined;
  offers: () => readonly Offer[];
  counters: OfferCounters & { log(profileId: string, entry: { at: string; id: string; decision: string; offers: string[]; considered: Array<{ id: string; score: number }>; fallback: boolean }): Promise<void> };
  profiles: ProfileStore;
  identities: IdentityStore;
  clock: Clock;
  log: Log;
}

export function createDecisionApiHandler(deps: DecisionApiDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use(jsonBody(() => decisionRequestSchema))
    .handler(async (event) => {
      const request = event.body as unknown as z.output<typeof decisionRequestSchema>;
      const decision = deps.decisions(request.decision);
      if (!decision) throw new HttpError(404, 'NotFound', `no decision "${request.decision}"`);
      const known = request.identity ? await findProfile(identityOf(request.identity.type as IdentityType, request.identity.value), deps) : await loadProfile(deps.profiles, request.profileId!);
      // Someone not known yet still gets a decision (the offers open to everyone, or the fallback).
      const profile = known ?? emptyProfile(request.profileId ?? 'unknown', deps.clock.now().toISOString());
      const now = deps.clock.now();
      const result = await decideAndClaim(decision, deps.offers(), { profile, now, capped: new Set(), stats: new Map(), random: Math.random }, deps.counters);
      const id = randomUUID();
      if (known) await deps.counters.log(known.id, { at: now.toISOString(), id, decision: decision.id, offers: result.offers.map((o) => o.id), considered: result.considered, fallback: result.fallback });
      deps.log.info('decision', { decision: decision.id, offers: result.offers.length, fallback: result.fallback });
      return json(200, {
        decisionId: id,
        decision: decision.id,
        fallback: result.fallback,
        offers: result.offers.map((o) => ({ id: o.id, content: o.content[decision.placement] ?? {}, ...(result.codes[o.id] ? { code: result.codes[o.id] } : {}) })),
      });
    });
}
