import { randomUUID } from 'node:crypto';
import { DynamoDbCapCounters } from '../adapters/dynamodb-caps';
import { DynamoDbDeliverability } from '../adapters/dynamodb-deliverability';
import { DynamoDbSendLedger } from '../adapters/dynamodb-send-ledger';
import { DynamoDbOfferStats } from '../adapters/dynamodb-offer-counters';
import { StaticTemplateStore } from '../adapters/static-templates';
import { unsubscribeKeyOf } from '../adapters/secrets';
import { deliverersOf } from '../adapters/deliverers';
import type { SendDeps } from '../domain/send-message';
import type { Platform } from '../platform';
import { systemClock, type Log } from '../ports';
import { profileTable } from './profile-table';

/**
 * What a sending function needs: the journey send function, and the campaign batches (whose sends are
 * reported from their batches, not counted as journey steps: `journeyReports: false`).
 */
export function sendDeps(p: Platform, log: Log, options: { journeyReports?: boolean } = {}): SendDeps & { log: Log } {
  const t = profileTable(p);
  const rules = () => p.workspace('rules');
  const unsubscribeUrl = p.optional('UNSUBSCRIBE_URL');
  return {
    profiles: t.profiles,
    ledger: new DynamoDbSendLedger(t.doc, p.setting('SEND_LEDGER_TABLE'), systemClock, t.table),
    channels: deliverersOf(p),
    templates: new StaticTemplateStore(() => p.workspace('templates')),
    suppressions: t.suppressions,
    // rules.json, read on each send: the local runtime reloads the workspace.
    get optInLists() {
      return new Set(rules().optInLists);
    },
    get quietHours() {
      return rules().quietHours;
    },
    get frequencyCaps() {
      return rules().frequencyCaps;
    },
    guard: new DynamoDbDeliverability(t.doc, t.table, p.tuning?.guardCacheMs),
    // Marketing emails link to the API's /unsubscribe, with tokens signed by the unsubscribe key.
    ...(unsubscribeUrl ? { unsubscribe: { url: unsubscribeUrl, key: unsubscribeKeyOf(p) } } : {}),
    caps: new DynamoDbCapCounters(t.doc, t.table),
    choiceStats: new DynamoDbOfferStats(t.doc, t.table),
    ...(options.journeyReports === false ? {} : { reports: t.reports }),
    clock: systemClock,
    attemptId: randomUUID,
    log,
  };
}
