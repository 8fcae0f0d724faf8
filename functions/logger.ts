import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from './ports';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

/** Powertools' structured JSON logger; the level comes from POWERTOOLS_LOG_LEVEL unless given. */
export function logger(serviceName: string, logLevel?: LogLevel): Log {
  return new Logger({ serviceName, ...(logLevel ? { logLevel } : {}) });
}
