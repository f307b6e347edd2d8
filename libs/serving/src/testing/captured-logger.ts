import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createServiceLogger } from '../service-logger';

/** The serving core's logger, at info, with its lines kept (parsed) for a test to read. */
export function capturedLogger(service = 'test'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createServiceLogger({ service, level: 'info', destination }), lines };
}
