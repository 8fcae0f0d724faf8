import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { IDENTITY_TYPES, identityOf, type IdentityType } from '../../domain/identity';
import type { Decision } from '../../domain/offers';
import { makeDecision, type DecisionDeps } from '../../domain/decisions';
import { findProfile } from '../../domain/privacy';
import { emptyProfile } from '../../domain/profile';
import { loadProfile } from '../../domain/profile-writes';
import type { IdentityStore, Log, ProfileStore } from '../../ports';
import { HttpError, httpErrors, idempotencyKey, json, jsonBody } from '../http';

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

export interface DecisionApiDeps extends DecisionDeps {
  decisions: (id: string) => Decision | undefined;
  profiles: ProfileStore;
  identities: IdentityStore;
  log: Log;
}

export function createDecisionApiHandler(deps: DecisionApiDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .use(jsonBody(() => decisionRequestSchema))
    .handler(async (event) => {
      const request = event.body as unknown as z.output<typeof decisionRequestSchema>;
      const key = idempotencyKey(event.headers['idempotency-key']);
      const decision = deps.decisions(request.decision);
      if (!decision) throw new HttpError(404, 'NotFound', `no decision "${request.decision}"`);
      const known = request.identity ? await findProfile(identityOf(request.identity.type as IdentityType, request.identity.value), deps) : await loadProfile(deps.profiles, request.profileId!);
      // Someone not known yet still gets a decision (the offers open to everyone, or the fallback), unlogged.
      const profile = known ?? emptyProfile(request.profileId ?? 'unknown', deps.clock.now().toISOString());
      const answer = await makeDecision(decision, profile, known !== undefined, key === undefined ? undefined : `api#${decision.id}#${key}`, deps);
      deps.log.info('decision', { decision: decision.id, offers: answer.offers.length, fallback: answer.fallback });
      return json(200, answer);
    });
}
