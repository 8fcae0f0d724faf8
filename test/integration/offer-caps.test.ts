import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbOfferCounters } from '../../functions/adapters/dynamodb-offer-counters';
import { profilesTableDefinition } from '../../functions/adapters/dynamodb-tables';
import { decideAndClaim, decisionSchema, offerSchema, seeded } from '../../functions/domain/offers';
import { emptyProfile } from '../../functions/domain/profile';
import { LOCAL_CREDENTIALS, LOCAL_REGION, ensureTables, startDynamo } from '../../local/emulators';

// Offer caps and code pools against DynamoDB's conditional counters (dynalite): races decided by the store.

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let counters: DynamoDbOfferCounters;
beforeAll(async () => {
  dynamo = await startDynamo(0);
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await ensureTables(client, [profilesTableDefinition('profiles')]);
  counters = new DynamoDbOfferCounters(DynamoDBDocumentClient.from(client), 'profiles');
});
afterAll(async () => dynamo?.close());

const fallback = offerSchema.parse({ id: 'sorry', tags: ['other'], content: { email: { text: 'sorry' } } });
const decision = decisionSchema.parse({ id: 'd', placement: 'email', tags: ['promo'], ranking: { strategy: 'priority' }, fallback: 'sorry' });
const input = (i: number) => ({ profile: emptyProfile(`p-${i}`, ''), now: new Date(), capped: new Set<string>(), stats: new Map(), random: seeded(i) });

describe('offer caps and code pools', () => {
  it('100 simultaneous decisions against an offer capped at 10: exactly 10 get it, the others the fallback', async () => {
    const scarce = offerSchema.parse({ id: 'scarce', tags: ['promo'], content: { email: { text: 'x' } }, caps: { total: 10 } });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => decideAndClaim(decision, [scarce, fallback], input(i), counters)));
    expect(results.filter((r) => r.offers[0]?.id === 'scarce')).toHaveLength(10);
    expect(results.filter((r) => r.fallback && r.offers[0]?.id === 'sorry')).toHaveLength(90);
  });

  it('a per-profile cap holds for one person while others still get the offer', async () => {
    const once = offerSchema.parse({ id: 'once', tags: ['promo'], content: { email: { text: 'x' } }, caps: { perProfile: 1 } });
    const same = await Promise.all(Array.from({ length: 20 }, () => decideAndClaim(decision, [once, fallback], input(1), counters)));
    expect(same.filter((r) => r.offers[0]?.id === 'once')).toHaveLength(1);
    expect((await decideAndClaim(decision, [once, fallback], input(2), counters)).offers[0]?.id).toBe('once');
  });

  it('a pool of 20 codes handed to 25 requests: 20 distinct codes, 5 fallbacks, no duplicate', async () => {
    const codes = Array.from({ length: 20 }, (_, i) => `SORRY-${1000 + i}`);
    const pooled = offerSchema.parse({ id: 'pooled', tags: ['promo'], content: { email: { text: 'x' } }, codes });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => decideAndClaim(decision, [pooled, fallback], input(i), counters)));
    const given = results.map((r) => r.codes.pooled).filter((c): c is string => c !== undefined);
    expect(given).toHaveLength(20);
    expect(new Set(given).size).toBe(20);
    expect(new Set(given)).toStrictEqual(new Set(codes));
    expect(results.filter((r) => r.fallback)).toHaveLength(5);
  });
});
