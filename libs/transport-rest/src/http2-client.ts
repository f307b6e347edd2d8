import { HTTP2_CLIENT_WINDOW_BYTES } from '@imagepipeline/config';
import http2 from 'node:http2';
import { inSpan, traceContextHeaders } from '@imagepipeline/telemetry';
import type { SecureContextOptions } from 'node:tls';
import { httpAnswer, readBody, type HttpAnswer, type HttpPostOptions } from './http-request';

/**
 * POSTs over HTTP/2: cleartext with prior knowledge (h2c) to an `http:` origin, TLS with ALPN `h2`
 * and the given TLS options to an `https:` one; one session per origin, as gRPC does, with
 * the same receive window as gRPC clients (per stream in the settings, per connection raised once
 * connected). A session that closes, fails or is sent GOAWAY is replaced by a new one on the next
 * call. Failures keep node's `code` (ECONNREFUSED, ...); a stream refused, or reset before its
 * answer ended, counts as ECONNRESET (a dropped connection).
 */
export class Http2Sessions {
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();

  /** `tls`: the CA servers are checked against and the client's own certificate, for `https:` origins. */
  constructor(private readonly tls: Pick<SecureContextOptions, 'ca' | 'cert' | 'key'> = {}) {}

  /**
   * Sends `options.body` to `url` and reads the whole answer. When tracing, in a client span whose
   * context goes in the request's headers: the HTTP instrumentation covers HTTP/1.1 only.
   */
  readonly post = (url: string, options: HttpPostOptions): Promise<HttpAnswer> =>
    inSpan('POST', { 'http.request.method': 'POST', 'url.full': url }, async ({ setAttributes }) => {
      const answer = await this.send(url, options, traceContextHeaders());
      setAttributes({ 'http.response.status_code': answer.status });
      return answer;
    }, { kind: 'client' });

  private send(url: string, options: HttpPostOptions, traceHeaders: Record<string, string>): Promise<HttpAnswer> {
    const { origin, pathname, search } = new URL(url);
    const session = this.sessionFor(origin, options.serverName);
    return new Promise((resolve, reject) => {
      const stream = session.request(
        { ...options.headers, ...traceHeaders, ':method': 'POST', ':path': pathname + search, 'content-length': Buffer.byteLength(options.body) },
        { signal: options.signal },
      );
      let ended = false;
      stream.once('end', () => (ended = true));
      stream.on('response', (headers) => {
        // A stream also ends when its connection drops: readBody checks the length.
        readBody(stream, headers, () => true).then((body) => resolve(httpAnswer(Number(headers[':status']), headers, body)), reject);
      });
      // REFUSED_STREAM (e.g. the session was closing as the request went out) means the stage never
      // processed it: retried like a dropped connection.
      stream.on('error', (error) => reject(stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? Object.assign(error, { code: 'ECONNRESET' }) : error));
      stream.on('close', () => {
        if (!ended) reject(Object.assign(new Error(`the stream closed before its answer ended (code ${stream.rstCode})`), { code: 'ECONNRESET' }));
      });
      stream.end(options.body);
    });
  }

  /** Closes every session; calls in flight fail. */
  close(): void {
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }

  private sessionFor(origin: string, serverName: string | undefined): http2.ClientHttp2Session {
    const open = this.sessions.get(origin);
    if (open && !open.closed && !open.destroyed) return open;
    const settings = { initialWindowSize: HTTP2_CLIENT_WINDOW_BYTES };
    const session = http2.connect(origin, { settings, ...this.tls, servername: serverName });
    const forget = () => {
      if (this.sessions.get(origin) === session) this.sessions.delete(origin);
    };
    session.once('connect', () => session.setLocalWindowSize(HTTP2_CLIENT_WINDOW_BYTES));
    // A session's error also fails its streams, which report it to their callers.
    session.on('error', forget);
    session.once('goaway', forget);
    session.once('close', forget);
    this.sessions.set(origin, session);
    return session;
  }
}
