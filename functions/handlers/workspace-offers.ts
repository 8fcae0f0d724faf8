import type { Decision, Offer } from '../domain/offers';

// The workspace's offers and decisions, inlined at bundle time by esbuild (infra/constructs/offers.ts); empty
// in a bundle that was given none.
declare const __WORKSPACE_OFFERS__: string | undefined;
declare const __WORKSPACE_DECISIONS__: string | undefined;

export const workspaceOffers: Offer[] = typeof __WORKSPACE_OFFERS__ === 'string' ? JSON.parse(__WORKSPACE_OFFERS__) : [];
const decisions: Record<string, Decision> = typeof __WORKSPACE_DECISIONS__ === 'string' ? JSON.parse(__WORKSPACE_DECISIONS__) : {};
export const workspaceDecisions: Decision[] = Object.values(decisions);
export const workspaceDecision = (id: string): Decision | undefined => (Object.hasOwn(decisions, id) ? decisions[id] : undefined);
