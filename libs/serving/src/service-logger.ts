import { pino, type BaseLogger, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

/** Log levels, most severe first; `silent` logs nothing. */
export type LogLevel = LevelWithSilent;

/** What the serving core writes with: a logger from {@link createServiceLogger}, also as Fastify's `app.log`. */
export type ServiceLog = Pick<BaseLogger, 'info' | 'warn' | 'error'>;

/**
 * The one logger of a service, whatever its protocol: pino JSON lines with numeric levels, `time`,
 * `msg` and the service's name on every line. Fastify is given this instance too.
 */
export function createServiceLogger(options: { service: string; level: LogLevel; destination?: DestinationStream }): Logger {
  return pino({ level: options.level, base: { service: options.service } }, options.destination);
}
