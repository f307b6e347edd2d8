import type { ServerConfig } from '@imagepipeline/config';

/** Log levels, most severe first; `silent` logs nothing. */
export type LogLevel = ServerConfig['logLevel'];

const SEVERITY: Record<LogLevel, number> = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10, silent: Infinity };

/** Structured fields of one log line. */
export type LogFields = Record<string, unknown>;

/** A minimal structured logger: one JSON object per line (pino's shape: `level`, `time`, `msg`). */
export interface JsonLogger {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
}

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  level: LogLevel;
  /** Fields added to every line, e.g. `{ service: 'classifier' }`. */
  base?: LogFields;
  /** Where lines go; standard output by default. */
  write?: (line: string) => void;
}

/** Creates a logger that writes lines at `level` or more severe and drops the rest. */
export function createJsonLogger({ level, base = {}, write = (line) => process.stdout.write(line) }: JsonLoggerOptions): JsonLogger {
  const threshold = SEVERITY[level];
  const log = (name: Exclude<LogLevel, 'silent'>) => (msg: string, fields: LogFields = {}) => {
    if (SEVERITY[name] < threshold) return;
    write(`${JSON.stringify({ level: name, time: Date.now(), ...base, msg, ...fields })}\n`);
  };
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}
