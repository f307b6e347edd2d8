import http from 'node:http';
import https from 'node:https';

/** A whole answer: status, headers and body, read before it is returned. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  /** A response header, or null when absent. */
  header(name: string): string | null;
  body: Buffer;
  /** The body parsed as JSON; throws on bad JSON. */
  json(): unknown;
}

export interface HttpPostOptions {
  body: Buffer | string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /**
   * The name the server's certificate must carry, over TLS, when the URL holds the IP address that
   * name resolved to (a replica of a stage); also sent as SNI. Default: the URL's host.
   */
  serverName?: string;
}

/** Sends a POST and reads its whole answer: over HTTP/1.1 ({@link httpRequest}) or HTTP/2. */
export type HttpPoster = (url: string, options: HttpPostOptions) => Promise<HttpAnswer>;

/** A request over HTTP/1.1: a POST with a body, or a GET without one, on a keep-alive pool. */
export interface HttpRequestOptions extends Omit<HttpPostOptions, 'body'> {
  method: 'GET' | 'POST';
  body?: Buffer | string;
  /** An https.Agent for an `https:` URL (it holds the TLS options), an http.Agent otherwise. */
  agent: http.Agent;
}

/**
 * Sends a request over node:http, or node:https for an `https:` URL, and reads the answer whole.
 * Not `fetch`: for the camera photos' tens of MB per call, node:http moved a 36 MB body there and
 * back in about 90 ms where fetch (undici) took 125–180 ms on this machine, and fetch takes no CA
 * without undici's own dispatcher. A body with a Content-Length is read into one buffer of that
 * size, without joining chunks. Errors keep node's `code` (ECONNREFUSED, ERR_SSL_..., ...).
 */
export function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpAnswer> {
  const { method, headers, agent, signal, serverName, body } = options;
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method, headers, agent, signal, servername: serverName }, (response) => {
      // node's parser holds the body to its Content-Length; an answer that ends short was cut off.
      readBody(response, response.headers, () => response.complete).then(
        (answerBody) => resolve(httpAnswer(response.statusCode ?? 0, response.headers, answerBody)),
        reject,
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** An answer read whole, with its headers as node gives them (names in lower case). */
export function httpAnswer(status: number, headers: NodeJS.Dict<string | string[] | number>, body: Buffer): HttpAnswer {
  return {
    status,
    ok: status >= 200 && status < 300,
    header: (name) => headerText(headers[name.toLowerCase()]),
    body,
    json: () => JSON.parse(body.toString('utf8')) as unknown,
  };
}

/** An answer's body as JSON, or undefined when it is not JSON (an error answer from something else than our server). */
export function jsonOrUndefined(response: HttpAnswer): unknown {
  try {
    return response.json();
  } catch {
    return undefined;
  }
}

/**
 * Reads a response body; one with a Content-Length into a single buffer of that size. Rejects as
 * ECONNRESET (a dropped connection, retried) when the body ends short of its Content-Length or
 * before `complete()`.
 */
export function readBody(response: NodeJS.ReadableStream, headers: NodeJS.Dict<string | string[] | number>, complete: () => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const length = Number(headers['content-length']);
    const whole = Number.isSafeInteger(length) && length >= 0 ? Buffer.allocUnsafe(length) : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    response.on('data', (chunk: Buffer) => {
      if (whole) chunk.copy(whole, received);
      else chunks.push(chunk);
      received += chunk.length;
    });
    response.on('error', reject);
    response.on('end', () => {
      if (!complete() || (whole && received !== whole.length)) reject(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' }));
      else resolve(whole ?? Buffer.concat(chunks));
    });
  });
}

function headerText(value: string | string[] | number | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : String(value);
}
