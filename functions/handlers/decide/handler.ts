import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbProfileStore } from '../../adapters/dynamodb-profiles';
import { requireEnv } from '../../config';
import type { Decision, Offer } from '../../domain/offers';
import { logger } from '../../logger';
import { decisionDeps } from '../../wiring';
import { createDecideHandler } from './app';

// The workspace's offers and decisions, inlined at bundle time by esbuild (infra/constructs/offers.ts).
declare const __WORKSPACE_OFFERS__: string | undefined;
declare const __WORKSPACE_DECISIONS__: string | undefined;
const offers: Offer[] = typeof __WORKSPACE_OFFERS__ === 'string' ? JSON.parse(__WORKSPACE_OFFERS__) : [];
const decisions: Record<string, Decision> = typeof __WORKSPACE_DECISIONS__ === 'string' ? JSON.parse(__WORKSPACE_DECISIONS__) : {};

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = requireEnv('PROFILES_TABLE');
export const handler = observe('decide', createDecideHandler({
  ...decisionDeps({ doc, profilesTable: table, offers: () => offers }),
  decisions: (id) => (Object.hasOwn(decisions, id) ? decisions[id] : undefined),
  profiles: new DynamoDbProfileStore(doc, table),
  log: logger('journey-decide'),
}));
