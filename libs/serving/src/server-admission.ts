import type { ServerConfig } from '@imagepipeline/config';
import { Admission } from './admission';

/**
 * A server's admission, the same for both protocols: `maxConcurrent` requests run, `maxQueued`
 * wait in order, and one more is refused at once with QUEUE_FULL and a retry-after. A waiting
 * request has arrived whole, so the waiting ones together may hold at most two of the largest a
 * server takes. No deadline of its own: the client's deadline or disconnect ends a wait.
 */
export function serverAdmission(config: Pick<ServerConfig, 'service' | 'maxConcurrent' | 'maxQueued' | 'maxRequestBytes'>): Admission {
  return new Admission({
    name: `${config.service} requests`,
    concurrency: config.maxConcurrent,
    capacity: config.maxQueued,
    maxWaitingBytes: 2 * config.maxRequestBytes,
  });
}
