import type { EnvReader } from './env-reader';

/** What a server allows each client connection: time to send a request, time idle, how many at once. */
export interface ConnectionLimits {
  /** REST over HTTP/1.1: a request's headers must arrive within this, counted from its first byte (or the connection's). */
  headersTimeoutMs: number;
  /** REST over HTTP/1.1: the whole request, body included, must arrive within this; a stalled upload is cut off then. */
  requestTimeoutMs: number;
  /** A connection with no request in flight is closed after this long (keep-alive, h2c session, gRPC `max_connection_idle`). */
  idleTimeoutMs: number;
  /** REST: connections open at once; further ones are closed as they arrive. */
  maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  // A 48 MP JPEG (about 25 MB) takes 20 s at 10 Mbit/s: room for slow links, not for stalls.
  requestTimeoutMs: 120_000,
  // Longer than clients keep an idle connection (undici follows the server's Keep-Alive hint, load
  // balancers commonly 60 s): a server closing first races a client reusing the connection, and
  // at 30 s a camera benchmark run lost a request to that race ("fetch failed").
  idleTimeoutMs: 75_000,
  maxConnections: 1024,
};

const MAX_TIMEOUT_MS = 3_600_000;

/** Streams an HTTP/2 connection may open beyond the calls admission takes: health checks, reflection, calls about to be refused. */
const EXTRA_STREAMS = 8;

/**
 * HTTP/2 streams one connection may have open at once (gRPC and h2c): as many as admission can
 * take, and a few more; further ones wait at the client instead of holding server memory.
 */
export function streamsPerConnection(admission: { maxConcurrent: number; maxQueued: number }): number {
  return admission.maxConcurrent + admission.maxQueued + EXTRA_STREAMS;
}

export function readConnectionLimits(read: EnvReader): ConnectionLimits {
  const headersTimeoutMs = read.integer('HEADERS_TIMEOUT_MS', DEFAULT_CONNECTION_LIMITS.headersTimeoutMs, { min: 100, max: MAX_TIMEOUT_MS });
  return {
    headersTimeoutMs,
    // Node refuses a request timeout shorter than the headers timeout.
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', Math.max(DEFAULT_CONNECTION_LIMITS.requestTimeoutMs, headersTimeoutMs), { min: headersTimeoutMs, max: MAX_TIMEOUT_MS }),
    idleTimeoutMs: read.integer('IDLE_TIMEOUT_MS', DEFAULT_CONNECTION_LIMITS.idleTimeoutMs, { min: 100, max: MAX_TIMEOUT_MS }),
    maxConnections: read.integer('MAX_CONNECTIONS', DEFAULT_CONNECTION_LIMITS.maxConnections, { min: 1, max: 1_000_000 }),
  };
}
