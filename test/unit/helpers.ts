import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace, WorkspaceError } from '../../workspace/load';
import type { Context } from 'aws-lambda';
import type { APIGatewayProxyEventV2, SQSRecord } from 'aws-lambda';
import type { Log } from '../../functions/ports';

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

export function httpEvent(body: unknown, raw = false, path = '/events'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/events' } },
    body: raw ? (body as string) : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

export const awsError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, $metadata: {}, ...extra });

/** A workspace folder in the temp dir: folder name → file name → JSON body. */
export function workspaceWith(folders: Record<string, Record<string, unknown>>): string {
  const root = mkdtempSync(join(tmpdir(), 'ws-'));
  for (const folder of ['journeys', 'templates', ...Object.keys(folders)]) mkdirSync(join(root, folder), { recursive: true });
  for (const [folder, files] of Object.entries(folders)) {
    for (const [name, body] of Object.entries(files)) writeFileSync(join(root, folder, `${name}.json`), JSON.stringify(body));
  }
  return root;
}

/** Every problem loadWorkspace reports, as "file path code: message". */
export function workspaceProblems(root: string): string[] {
  try {
    loadWorkspace(root);
    return [];
  } catch (error) {
    return (error as WorkspaceError).issues.map((i) => `${i.file} ${i.path} ${i.code}: ${i.message}`);
  }
}

/** An SQS FIFO record as Lambda's event source delivers it. */
export function sqsRecord(messageId: string, body: string, groupId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0', MessageGroupId: groupId, MessageDeduplicationId: messageId },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:events.fifo',
    awsRegion: 'us-east-1',
  };
}
