import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSendHandler } from '../../functions/handlers/send/app';
import { ledgerTableDefinition, profilesTableDefinition } from '../../functions/adapters/dynamodb-tables';
import { sendDeps } from '../../functions/wiring/send';
import { testPlatform } from '../platform';
import { LOCAL_CREDENTIALS, LOCAL_REGION, ensureTables, startDynamo } from '../../local/emulators';
import { context, silentLog } from '../unit/helpers';
import { scanTable } from './helpers';
import type { MessageTemplate } from '../../functions/domain/templates';
import type { FrequencyCap } from '../../functions/ports';

// Fault injection over 2,000 sends: DynamoDB is real (dynalite: the ledger's conditional writes are what is
// under test); SES is aws-sdk-client-mock, answering 20% of calls with throttling (message not taken) and 2% with
// a timeout after it took the message. The state machine's retry is played by the loop below.

// Enough for every fault to happen dozens of times (about 40 timeouts after acceptance, 500 throttles).
const SENDS = 2_000;
const ses = mockClient(SESv2Client);
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startDynamo(0);
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await ensureTables(client, [profilesTableDefinition('profiles'), ledgerTableDefinition('ledger')]);
  doc = DynamoDBDocumentClient.from(client);
  const profiles = Array.from({ length: 1000 }, (_, i) => ({ pk: `P#f-${i}`, sk: 'PROFILE', id: `f-${i}`, attributes: { email: `f-${i}@example.com`, firstName: 'F' }, attributeTimes: {}, createdAt: '', updatedAt: '', version: 1 }));
  for (let i = 0; i < profiles.length; i += 25) await doc.send(new BatchWriteCommand({ RequestItems: { profiles: profiles.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
}, 60_000);
afterAll(async () => {
  ses.restore();
  await dynamo?.close();
});

/** The send function over the real ledger and the mocked providers. */
function sender(templates: Record<string, MessageTemplate>, frequencyCaps?: FrequencyCap[]) {
  return createSendHandler(
    sendDeps(
      testPlatform({
        settings: { PINPOINT_APPLICATION_ID: 'faults', CONFIGURATION_SET: undefined },
        workspace: { templates, rules: { frequencyCaps: frequencyCaps ?? [], optInLists: [], deliverability: { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSends: 100 }, proofLists: {}, lists: [] } },
        endpoint: (Class) => (Class.name === 'DynamoDBClient' ? dynamo.url : undefined),
      }),
      silentLog,
    ),
  );
}

describe('sends under provider faults', () => {
  it('2,000 sends with 20% throttling and 2% timeouts after acceptance: each sent exactly once or recorded failed', async () => {
    // Deterministic faults: a seeded generator, so a failure reproduces.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const accepted = new Map<string, number>(); // message key (execution) → times the provider took it
    let throttled = 0;
    let timedOut = 0;
    ses.on(SendEmailCommand).callsFake((input: { EmailTags?: Array<{ Name: string; Value: string }>; Destination: { ToAddresses: string[] }; Content: { Simple: { Subject: { Data: string } } } }) => {
      const r = random();
      if (r < 0.2) {
        throttled += 1;
        throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
      }
      const key = input.Content.Simple.Subject.Data;
      accepted.set(key, (accepted.get(key) ?? 0) + 1);
      if (r < 0.22) {
        timedOut += 1;
        throw Object.assign(new Error('socket hang up after the request was sent'), { name: 'TimeoutError' });
      }
      return { MessageId: `m-${key}` };
    });
    // The subject carries the task's key, so the mock can count what it took per intended send.
    const send = sender({ t: { channel: 'email', subject: '{{event.key}}', text: 'x' } });

    const outcome = { sent: 0, failed: 0, retries: 0 };
    const work = Array.from({ length: SENDS }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = work.pop(); i !== undefined; i = work.pop()) {
          const key = `exec-${i}`;
          const task = { channel: 'email' as const, stepId: 'mail', template: 't', journey: { id: 'faults' }, runId: key, profileId: `f-${i % 1000}`, event: { key }, steps: {} };
          // The compiled state machine's Retry: SendThrottledError again (backoff elided), PermanentSendError is the failure path.
          for (let attempt = 0; ; attempt += 1) {
            try {
              await send(task, context);
              outcome.sent += 1;
              break;
            } catch (error) {
              const name = (error as Error).name;
              if (name === 'SendThrottledError' && attempt < 20) {
                outcome.retries += 1;
                continue;
              }
              expect(name).toBe('PermanentSendError');
              outcome.failed += 1;
              break;
            }
          }
        }
      }),
    );

    const ledger = await scanTable(doc, 'ledger');
    const byStatus = ledger.reduce<Record<string, number>>((acc, e) => ({ ...acc, [String(e.status)]: (acc[String(e.status)] ?? 0) + 1 }), {});
    const duplicates = [...accepted.values()].filter((n) => n > 1).length;
    console.log(`fault injection: ${SENDS} sends, ${outcome.sent} sent, ${outcome.failed} recorded failed (outcome unknown), ${throttled} throttled answers retried, ${timedOut} timeouts after acceptance, ${duplicates} duplicates, ledger ${JSON.stringify(byStatus)}`);

    expect(outcome.sent + outcome.failed).toBe(SENDS); // no silent loss
    expect(duplicates).toBe(0); // never taken twice
    expect(outcome.failed).toBe(timedOut); // exactly the ambiguous ones are failed, and only those
    expect(outcome.sent).toBe(SENDS - timedOut);
    expect(accepted.size).toBe(SENDS); // every intended message reached the provider once
    expect(byStatus).toStrictEqual({ sent: outcome.sent, failed: outcome.failed });
    expect(throttled).toBeGreaterThan(SENDS * 0.2); // the faults did happen (throttles are retried, so more than 20% of sends)
  }, 240_000);

  it('a cap of 3 marketing emails in 7 days holds under 50 simultaneous sends to one profile: exactly 3 sent', async () => {
    ses.reset();
    let taken = 0;
    ses.on(SendEmailCommand).callsFake(() => ({ MessageId: `m-${(taken += 1)}` }));
    const send = sender(
      { promo: { channel: 'email', category: 'marketing', subject: 'Promo', text: 'x' }, receipt: { channel: 'email', subject: 'Receipt', text: 'x' } },
      [{ channel: 'email', category: 'marketing', max: 3, windowSeconds: 7 * 86_400 }],
    );
    const task = (i: number, template = 'promo') => ({ channel: 'email' as const, stepId: 'mail', template, journey: { id: 'caps' }, runId: `cap-${template}-${i}`, profileId: 'f-7', event: {}, steps: {} });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => send(task(i), context)));
    const count = (status: string, reason?: string) => results.filter((r) => r.status === status && (reason === undefined || r.reason === reason)).length;
    console.log(`frequency cap: 50 simultaneous sends, ${count('sent')} sent, ${count('skipped', 'frequency-cap')} skipped by the cap`);
    expect(count('sent')).toBe(3);
    expect(count('skipped', 'frequency-cap')).toBe(47);
    expect(taken).toBe(3);
    // A retry of a send that took a place keeps it; another category is not capped.
    const sentOne = results.findIndex((r) => r.status === 'sent');
    expect(await send(task(sentOne), context)).toMatchObject({ status: 'sent' });
    expect(await send(task(99, 'receipt'), context)).toMatchObject({ status: 'sent' });
  }, 60_000);
});
