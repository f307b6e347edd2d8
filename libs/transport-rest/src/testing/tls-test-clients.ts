/** Bare TLS connections and HTTPS and HTTP/2-over-TLS requests for tests of credentials: what a client sees, unwrapped. */
import http2 from 'node:http2';
import https from 'node:https';
import { connect, type ConnectionOptions } from 'node:tls';

/** The TLS side of a test request: trust, the client's certificate (or none), the name checked. */
export type TestTlsOptions = Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'servername'>;

export interface TestRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

/** An answer: its status, `www-authenticate` header and JSON body (undefined when not JSON). */
export interface TestAnswer {
  status: number;
  wwwAuthenticate?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * How the server refuses a client's TLS credentials, seen from a bare connection that sends no
 * request: the code of the TLS alert it sends (e.g. `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`:
 * OpenSSL's own check, no certificate), or `closed` when it closes the connection at the end of
 * the handshake without one (Node checks a certificate's chain and dates after OpenSSL's handshake,
 * then closes). Never settles while the server keeps the connection open: for refusals only.
 */
export function tlsRefusal(origin: string, alpn: 'h2' | 'http/1.1', tls: TestTlsOptions): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), ALPNProtocols: [alpn], ...tls });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.once('close', () => resolve('closed'));
    socket.resume();
  });
}

/**
 * Sends one request on a connection of its own, over HTTP/1.1 (https) or HTTP/2 over TLS; rejects
 * with node's error when the connection fails.
 */
export function tlsRequest(origin: string, http2Wanted: boolean, tls: TestTlsOptions, request: TestRequest): Promise<TestAnswer> {
  return http2Wanted ? http2Request(origin, tls, request) : https1Request(origin, tls, request);
}

function https1Request(origin: string, tls: TestTlsOptions, { method = 'GET', path, headers = {}, body }: TestRequest): Promise<TestAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.request(new URL(path, origin), { method, headers, agent: false, ...tls }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(answerOf(response.statusCode ?? 0, response.headers['www-authenticate'], Buffer.concat(chunks))));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

function http2Request(origin: string, tls: TestTlsOptions, { method = 'GET', path, headers = {}, body }: TestRequest): Promise<TestAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(origin, tls);
    session.on('error', reject);
    session.on('close', () => reject(new Error('the session closed before the answer')));
    const stream = session.request({ ...headers, ':method': method, ':path': path });
    stream.on('error', reject);
    stream.on('response', (responseHeaders) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        session.close();
        const status = Number(responseHeaders[':status']);
        resolve(answerOf(status, responseHeaders['www-authenticate'] as string | undefined, Buffer.concat(chunks)));
      });
    });
    stream.end(body);
  });
}

function answerOf(status: number, wwwAuthenticate: string | undefined, body: Buffer): TestAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status, wwwAuthenticate, json };
}
