import { HTTP2_SERVER_WINDOW_BYTES, type ConnectionLimits } from '@imagepipeline/config';
import http2 from 'node:http2';
import type { TlsOptions } from 'node:tls';

/** An HTTP/2 server (h2c or over TLS) with the sessions it has open, so shutdown can end them. */
export type TrackedHttp2Server = (http2.Http2Server | http2.Http2SecureServer) & {
  /** Fastify calls it on close: each session takes no new requests and ends after its last one. */
  closeHttp2Sessions(): void;
  /** Ends every session at once, requests in flight included (after the shutdown grace). */
  destroyHttp2Sessions(): void;
};

/**
 * An HTTP/2 server for Fastify's `serverFactory`: cleartext (h2c, prior knowledge), or over TLS
 * with `tls` (ALPN `h2`); never HTTP/1.1. It has the receive window gRPC servers get (per stream in
 * the settings; per connection raised on each session, which Node otherwise leaves at 64 KiB), so
 * REST over HTTP/2 and gRPC differ only in what they carry. A session may open as many streams as admission takes (and a few more), a
 * request must arrive whole within the request timeout, idle sessions are closed, and connections
 * beyond the bound refused.
 */
export function createHttp2Server(
  handler: (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void,
  limits: Pick<ConnectionLimits, 'idleTimeoutMs' | 'requestTimeoutMs' | 'maxConnections'> & { maxConcurrentStreams: number },
  tls?: TlsOptions,
): TrackedHttp2Server {
  const settings = { initialWindowSize: HTTP2_SERVER_WINDOW_BYTES, maxConcurrentStreams: limits.maxConcurrentStreams };
  const server: http2.Http2Server | http2.Http2SecureServer = tls
    ? http2.createSecureServer({ ...tls, settings, allowHTTP1: false }, handler)
    : http2.createServer({ settings }, handler);
  server.maxConnections = limits.maxConnections;
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.setLocalWindowSize(HTTP2_SERVER_WINDOW_BYTES);
    closeWhenIdle(session, limits.idleTimeoutMs);
    session.on('stream', (stream) => resetIfNotArrivedWithin(stream, limits.requestTimeoutMs));
  });
  return Object.assign(server, {
    closeHttp2Sessions: () => sessions.forEach((session) => session.close()),
    destroyHttp2Sessions: () => sessions.forEach((session) => session.destroy()),
  });
}

/**
 * Closes the session once it has had no open stream for `idleMs`, and destroys it one idle period
 * later if it is still there: a client that stopped halfway through a header block never opens its
 * stream, and the graceful close would wait on it for good. Not `setTimeout` on the server: that
 * counts silence on the socket, and a stage computing a large image sends nothing for seconds.
 */
function closeWhenIdle(session: http2.ServerHttp2Session, idleMs: number): void {
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const startIdle = () => {
    timer = setTimeout(() => {
      session.close();
      timer = setTimeout(() => {
        if (open === 0) session.destroy();
      }, idleMs);
      timer.unref();
    }, idleMs);
    timer.unref();
  };
  session.on('stream', (stream) => {
    open += 1;
    clearTimeout(timer);
    stream.once('close', () => {
      open -= 1;
      if (open === 0 && !session.closed) startIdle();
    });
  });
  session.once('close', () => clearTimeout(timer));
  startIdle();
}

/**
 * Resets a stream (RST_STREAM CANCEL) whose request has not fully arrived within `ms`: a stalled
 * body, as Node's request timeout ends one over HTTP/1.1 (HTTP/2 has none). Such a request never
 * took a work slot (admission comes after the body), but it would hold its stream for good.
 */
function resetIfNotArrivedWithin(stream: http2.ServerHttp2Stream, ms: number): void {
  if (stream.endAfterHeaders) return;
  const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), ms);
  timer.unref();
  const arrived = () => clearTimeout(timer);
  stream.once('end', arrived);
  stream.once('close', arrived);
}

export function isTrackedHttp2Server(server: unknown): server is TrackedHttp2Server {
  return typeof (server as Partial<TrackedHttp2Server>).destroyHttp2Sessions === 'function';
}
