import http from 'node:http';

/** A stage's whole answer: status, headers and body, read before it is returned. */
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
}

/** Sends a POST and reads its whole answer: over HTTP/1.1 ({@link httpPost}) or h2c. */
export type HttpPoster = (url: string, options: HttpPostOptions) => Promise<HttpAnswer>;

/**
 * POSTs `body` to `url` over node:http and reads the answer whole. Not `fetch`: for the camera
 * photos' tens of MB per call, node:http moved a 36 MB body there and back in about 90 ms where
 * fetch (undici) took 125–180 ms on this machine. A body with a Content-Length is read into one
 * buffer of that size, without joining chunks. Errors keep node's `code` (ECONNREFUSED, ...).
 */
export function httpPost(url: string, options: HttpPostOptions & { agent: http.Agent }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: options.headers, agent: options.agent, signal: options.signal }, (response) => {
      // node's parser holds the body to its Content-Length; an answer that ends short was cut off.
      readBody(response, response.headers, () => response.complete).then(
        (body) => resolve(httpAnswer(response.statusCode ?? 0, response.headers, body)),
        reject,
      );
    });
    request.on('error', reject);
    request.end(options.body);
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
