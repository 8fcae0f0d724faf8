import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from './ports';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

/** Powertools' structured JSON logger; the level comes from POWERTOOLS_LOG_LEVEL unless given. */
export function logger(serviceName: string, logLevel?: LogLevel): Log {
  return new Logger({ serviceName, ...(logLevel ? { logLevel } : {}) });
}

/**
 * How logs name an id a sender chose (an event id may be an email address or an order number): a short hash, the
 * same for the same id, so a log line can be matched with the event without holding the id.
 */
export const logRef = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 16);
