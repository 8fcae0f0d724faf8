import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import type { Log } from '../ports';
import { issueMessage } from '../../statemachines/errors';
import { storableIssues } from '../domain/storable';

// HTTP plumbing shared by the API handlers: a JSON body checked by a zod schema (400 with every field that is
// wrong), and one error middleware that turns errors into JSON responses and never leaks a stack trace.

export const MAX_BODY_BYTES = 256 * 1024;

export interface FieldIssue {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;

/** The Idempotency-Key header, checked: a retry with the same key is the same request. */
export function idempotencyKey(value: string | undefined): string | undefined {
  if (value !== undefined && !IDEMPOTENCY_KEY.test(value)) {
    throw new HttpError(400, 'ValidationError', 'idempotency-key: must be 1-128 characters of letters, digits and ._:@+-', [{ path: 'idempotency-key', message: 'must be 1-128 characters of letters, digits and ._:@+-' }]);
  }
  return value;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)), '');
}

/** A request's body as text (API Gateway base64-encodes bodies it does not take for text). */
export const rawBody = (event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): string => (event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? ''));

/**
 * A request's JSON body checked by a schema: 400 naming the field for a body too large, not JSON, refused by the
 * schema, or holding values the store could not keep as sent (prototype names, unsafe numbers...).
 */
export function readJsonBody<T>(event: APIGatewayProxyEventV2, schemaFor: (body: unknown) => z.ZodType<T>): T {
  const raw = rawBody(event);
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    // 400 like every other bad input (Segment's API answers the same), naming the field: the body.
    const message = `must be at most ${MAX_BODY_BYTES} bytes (256 KB); send large batches in parts`;
    throw new HttpError(400, 'PayloadTooLarge', `body: ${message}`, [{ path: 'body', message }]);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'InvalidJson', 'the body is not valid JSON');
  }
  const result = schemaFor(body).safeParse(body);
  const issues = [...(result.error?.issues.map((i) => ({ path: fieldPath(i.path), message: issueMessage(i) })) ?? []), ...storableIssues(body)];
  if (!result.success || issues.length > 0) {
    const first = issues[0]!;
    throw new HttpError(400, 'ValidationError', `${first.path || 'body'}: ${first.message}`, issues);
  }
  return result.data as T;
}

/** Picks the schema for a body (by route, and some bodies have two shapes) and parses it; the parsed value replaces `body`. */
export function jsonBody<T>(schemaFor: (body: unknown, event: APIGatewayProxyEventV2) => z.ZodType<T>): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      const event = request.event;
      (event as unknown as { body: T }).body = readJsonBody(event, (body) => schemaFor(body, event));
    },
  };
}

export function httpErrors(log: Log): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        request.response = json(error.statusCode, { error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) }, error.headers);
        return;
      }
      log.error('request failed', { error: (error as Error | null)?.name ?? 'Error' });
      request.response = json(500, { error: 'InternalError', message: 'the request could not be processed; it is safe to send it again' });
    },
  };
}
