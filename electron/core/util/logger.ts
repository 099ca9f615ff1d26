// Structured logging (pino). Lines a person can grep: "fetch starting", "cost found",
// "cost applied", "reconcile pass finished" carry the ids and counts as fields.
// Secrets never reach a log line: the redact list covers every place a key could sit,
// and the Telnyx client never puts the key in an error message in the first place.
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
];

/** `stream` (e.g. the desktop app's rotating log file) replaces the file descriptor or path. */
export function createLogger(options: { level?: string; destination?: number | string; stream?: { write(line: string): unknown } } = {}): Logger {
  const level = options.level ?? process.env.COST_DESK_LOG_LEVEL ?? 'info';
  const destination = options.stream ?? pino.destination({ dest: options.destination ?? 2, sync: true });
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined }, destination);
}

/** A logger that drops everything (tests and benchmarks that assert on data, not logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
