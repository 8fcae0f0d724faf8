import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalRuntime } from '../../local/runtime';

export interface CapturedEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: Array<{ name: string; value: string }>;
}

export async function mailbox(runtime: LocalRuntime): Promise<CapturedEmail[]> {
  const response = await fetch(`${runtime.mailUrl}/store`);
  return ((await response.json()) as { emails: CapturedEmail[] }).emails;
}

export const mailTo = async (runtime: LocalRuntime, to: string) => (await mailbox(runtime)).filter((m) => m.destination.to.includes(to));

export async function postEvents(runtime: LocalRuntime, body: unknown, key: string | null = runtime.apiKey) {
  const response = await fetch(`${runtime.apiUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
  // The API answers once events are queued; tests read what they changed once it is applied.
  await runtime.queue.idle();
  return answer;
}

/** Polls until the check holds; the bound is a safety net for a broken build, not a performance assertion. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every item of a table, page by page (tests look for what was or was not written anywhere). */
export async function scanTable(doc: DynamoDBDocumentClient, table: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
