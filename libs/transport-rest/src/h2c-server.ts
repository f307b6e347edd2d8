import { HTTP2_SERVER_WINDOW_BYTES } from '@imagepipeline/config';
import http2 from 'node:http2';

/** An h2c server with the sessions it has open, so shutdown can end them. */
export type H2cServer = http2.Http2Server & {
  /** Fastify calls it on close: each session takes no new requests and ends after its last one. */
  closeHttp2Sessions(): void;
  /** Ends every session at once, requests in flight included (after the shutdown grace). */
  destroyHttp2Sessions(): void;
};

/**
 * A cleartext HTTP/2 server (prior knowledge, no HTTP/1.1) for Fastify's `serverFactory`, with the
 * receive window gRPC servers get (per stream in the settings; per connection raised on each
 * session, which Node otherwise leaves at 64 KiB), so REST over HTTP/2 and gRPC differ only in
 * what they carry.
 */
export function createH2cServer(handler: (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void): H2cServer {
  const server = http2.createServer({ settings: { initialWindowSize: HTTP2_SERVER_WINDOW_BYTES } }, handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.setLocalWindowSize(HTTP2_SERVER_WINDOW_BYTES);
  });
  return Object.assign(server, {
    closeHttp2Sessions: () => sessions.forEach((session) => session.close()),
    destroyHttp2Sessions: () => sessions.forEach((session) => session.destroy()),
  });
}

export function isH2cServer(server: unknown): server is H2cServer {
  return typeof (server as Partial<H2cServer>).destroyHttp2Sessions === 'function';
}
