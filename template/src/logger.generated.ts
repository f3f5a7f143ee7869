import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';

// Structured JSON logs (Powertools for AWS Lambda). On Lambda each line carries the request ids.
export const logger = new Logger({ serviceName: process.env.SERVICE_NAME ?? 'service' });

/** The logger a library that logs on its own takes: a message, then values, or functions that compute them. */
export interface LibraryLog {
  error(message: string, ...values: unknown[]): void;
  warn(message: string, ...values: unknown[]): void;
  info(message: string, ...values: unknown[]): void;
  debug(message: string, ...values: unknown[]): void;
  verbose(message: string, ...values: unknown[]): void;
}

/** A level a library logs at, or `silent`. */
export type LibraryLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const threshold = (level: LibraryLogLevel) => LogLevelThreshold[level.toUpperCase() as Uppercase<LibraryLogLevel>];

/**
 * A logger for a library that would otherwise print plain text (serverless-express, the X-Ray
 * SDK): its lines go through `logger`, as JSON with the service's keys and a `source`, at the
 * logger's level and at least at `minimum` (the library's own). An error among the values
 * becomes the line's `error`, the others its `details`; a function is called only when its line
 * is logged (serverless-express's debug values inspect whole events).
 */
export function libraryLog(source: string, minimum: LibraryLogLevel = 'debug'): LibraryLog {
  const write = (level: Exclude<LibraryLogLevel, 'silent'>) => (message: string, ...values: unknown[]) => {
    if (Math.max(logger.level, threshold(minimum)) > threshold(level)) return;
    const resolved = values.map((value) => (typeof value === 'function' ? (value as () => unknown)() : value));
    const error = resolved.find((value) => value instanceof Error);
    const details = resolved.filter((value) => !(value instanceof Error) && value !== undefined);
    logger[level](String(message), {
      source,
      ...(details.length > 0 && { details: details.length === 1 ? details[0] : details }),
      ...(error !== undefined && { error }),
    });
  };
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug'), verbose: write('debug') };
}
