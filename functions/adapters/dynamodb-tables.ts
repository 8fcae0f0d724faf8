import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

// Key design of the two tables, shared by the adapters, the CDK constructs and the local runtime.
//
// Profiles table (pk, sk):
//   P#<profileId> / PROFILE              the profile: attributes, attributeTimes, version
//   P#<profileId> / E#<timestamp>#<id>   event history, expires after EVENT_HISTORY_DAYS
//   R#<eventId>   / RECEIPT              ingest receipt: dedupes event ids for RECEIPT_DAYS
//   W#<profileId> / <eventType>#<key>    a waitForEvent task token, until resumed or timed out
//   J#<profileId> / <journeyId>#<corr>   a run of a journey: execution, status, entry, conversion
//   P#<profileId> / S#<ledgerKey>        a message sent to the profile (for export and erasure)
//   P#<profileId> / CAP#<channel>#<cat>  frequency cap: the sends of a channel and category in the window
//   I#<type>:<value> / IDENTITY          identity index: which profile an email, anonymousId... belongs to
//   X#<sha256 of address> / SUPPRESSED   an address never to send to again (erased person, later bounces)
//   C#<campaignId> / RUN#<runId>         a campaign run: status, context, parts by send time
//   C#<campaignId>#<runId> / PART#<key>  the outcome of one batch of a run (sent, skipped by reason, failed)
//   A#<audienceId> / JOB#<jobId>         an audience job (export, or '*' for the pass): cursor, pages, status
//   RP#<scope> / <hour>#<metric>         a report counter for one hour (ALL#<metric>: a gauge)
//   RK#<count key> / COUNTED             the marker that makes a count happen once
//   O#<offerId> / TOTAL|P#..|CODES|STATS#<segment>|OUT#<event>   offer caps, code pool, outcomes
//   P#<profileId> / DEC#<decisionId>     a logged offer decision
//   P#<profileId> / IN#<messageId>       an in-app message in the profile's inbox, until it expires or is dismissed
//   RS#<journeyId> / SHAPE               what the report needs of a journey, written by its journey stack on deploy
//   RS#<journeyId> / V#<version>         the state machine version ARN of a journey version (parked runs resume on it)
//   LEARN#model#<id> / TRAINED           a trained propensity model: coefficients, held-out AUC, calibration
//   LEARN#engagement / PATTERN           the population's engagement by hour of week (send-time optimisation)
// Send ledger table (pk):
//   <runId>#<stepId>#<visit>             one message: sending | sent | skipped | failed

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttl: 'expiresAt' } as const;

export const EVENT_HISTORY_DAYS = 400;
export const RECEIPT_DAYS = 90;
export const LEDGER_DAYS = 400;

export const profileKey = (id: string) => ({ pk: `P#${id}`, sk: 'PROFILE' });
export const historyKey = (id: string, timestamp: string, eventId: string) => ({ pk: `P#${id}`, sk: `E#${timestamp}#${eventId}` });
export const receiptKey = (eventId: string) => ({ pk: `R#${eventId}`, sk: 'RECEIPT' });
export const runPartition = (profileId: string) => `J#${profileId}`;
export const runKey = (profileId: string, journeyId: string, correlation: string) => ({ pk: runPartition(profileId), sk: `${journeyId}#${correlation}` });
export const waitingKey = (profileId: string, eventType: string, key: string) => ({ pk: `W#${profileId}`, sk: `${eventType}#${key}` });

export const sendRecordKey = (profileId: string, ledgerKey: string) => ({ pk: `P#${profileId}`, sk: `S#${ledgerKey}` });
/** Fan-out: a profile's interest in a value for a journey, and its reference in the profile's partition. */
export const interestKey = (journeyId: string, value: string, profileId: string) => ({ pk: `FX#${journeyId}#${value}`, sk: profileId });
export const interestRefKey = (journeyId: string, value: string, profileId: string) => ({ pk: `P#${profileId}`, sk: `FX#${journeyId}#${value}` });
/** A journey with a priority, under the event type that enters it (the entry directory). */
export const entryKey = (eventType: string, journeyId: string) => ({ pk: `ENTRY#${eventType}`, sk: journeyId });
export const reportShapeKey = (journeyId: string) => ({ pk: `RS#${journeyId}`, sk: 'SHAPE' });
export const journeyVersionKey = (journeyId: string, version: string) => ({ pk: `RS#${journeyId}`, sk: `V#${version}` });
export const inboxKey = (profileId: string, messageId: string) => ({ pk: `P#${profileId}`, sk: `IN#${messageId}` });
export const capKey = (profileId: string, channel: string, category: string) => ({ pk: `P#${profileId}`, sk: `CAP#${channel}#${category}` });
export const identityKey = (identity: string) => ({ pk: `I#${identity}`, sk: 'IDENTITY' });
export const suppressionKey = (addressHash: string) => ({ pk: `X#${addressHash}`, sk: 'SUPPRESSED' });
export const learnedModelKey = (modelId: string) => ({ pk: `LEARN#model#${modelId}`, sk: 'TRAINED' });
export const engagementPatternKey = { pk: 'LEARN#engagement', sk: 'PATTERN' } as const;
export const audienceJobKey = (audienceId: string, jobId: string) => ({ pk: `A#${audienceId}`, sk: `JOB#${jobId}` });

export const campaignRunKey = (campaignId: string, runId: string) => ({ pk: `C#${campaignId}`, sk: `RUN#${runId}` });
export const campaignBatchKey = (campaignId: string, runId: string, part: string) => ({ pk: `C#${campaignId}#${runId}`, sk: `PART#${part}` });

export const expiresAt = (from: Date, days: number) => Math.floor(from.getTime() / 1000) + days * 86400;

export function profilesTableDefinition(TableName: string): CreateTableCommandInput {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
}

export function ledgerTableDefinition(TableName: string): CreateTableCommandInput {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  };
}
