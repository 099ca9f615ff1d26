// The product's own logger (pino, util/logger.ts) writing into memory: a test reads the lines
// a user would find in the log, parsed.
import { createLogger, type Logger } from '../../electron/core/util/logger.ts';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export function memoryLog(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({ level, stream: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) } });
  return { logger, lines };
}
