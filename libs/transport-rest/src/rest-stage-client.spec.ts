import type { StageServiceName } from '@imagepipeline/config';
import { PipelineError, type Image } from '@imagepipeline/contracts';
import { catchPipelineError } from '@imagepipeline/imaging/testing';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2 from 'node:http2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RestStageClient } from './rest-stage-client';
import { closedPort } from './testing/rest-test-kit';

type Answer = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void;

const image: Image = { data: Buffer.from('png bytes'), format: 'png', width: 3, height: 2, fileName: 'a b.png', channels: 0 };
const answers: Answer[] = [];
const received: { url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];
let server: http.Server | http2.Http2Server;
let address: string;
let overHttp2 = false;
const sessions = new Set<http2.ServerHttp2Session>();

const json = (status: number, body: unknown): Answer => (_request, _body, response) => {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const pngEcho: Answer = (_request, body, response) => {
  response
    .writeHead(200, {
      'content-type': 'image/png',
      'x-image-format': 'png',
      'x-image-width': '3',
      'x-image-height': '2',
      'x-file-name': encodeURIComponent('a b.png'),
      'x-compute-ms': '12.5',
      'x-upload-id': 'abc123',
    })
    .end(body);
};

function pick(headers: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, headers[name]]));
}

function client(addressOf: Partial<Record<StageServiceName, string>> = {}, retries = 2): RestStageClient {
  const addresses = { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address };
  return new RestStageClient({ addresses: { ...addresses, ...addressOf }, retries, initialBackoffMs: 5, http2: overHttp2 });
}

/** Records each request and answers it with the next scripted answer (node's compatibility API serves both versions). */
function scripted(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    received.push({ url: request.url ?? '', headers: request.headers, body });
    (answers.shift() ?? json(500, { error: 'INTERNAL', message: 'no answer scripted' }))(request, body, response);
  });
}

describe.each([
  { version: 'HTTP/1.1', h2c: false },
  { version: 'h2c', h2c: true },
])('RestStageClient over $version', ({ h2c }) => {
  beforeAll(async () => {
    overHttp2 = h2c;
    server = h2c ? http2.createServer(scripted as never) : http.createServer(scripted);
    if (h2c) server.on('session', (session: http2.ServerHttp2Session) => sessions.add(session));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const bound = server.address();
    address = `127.0.0.1:${typeof bound === 'object' && bound ? bound.port : 0}`;
  });

  afterAll(async () => {
    // The clients' sessions stay open (as keep-alive connections do): the server closes only without them.
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    answers.length = 0;
    received.length = 0;
  });

  it('sends the image as a raw binary body and reads a binary answer with its headers', async () => {
    answers.push(pngEcho);
    const response = await client().upload(image, new AbortController().signal);
    expect(received[0]).toMatchObject({ url: '/v1/upload?outputFormat=raw', body: image.data });
    expect(received[0].headers).toMatchObject({
      'content-type': 'image/png',
      accept: 'application/vnd.imagepipeline.raw-pixels, image/png',
      'x-file-name': 'a%20b.png',
    });
    expect(response).toEqual({ image, computeMs: 12.5, uploadId: 'abc123' });
  });

  it('sends raw pixels with their size and channels, and reads raw pixels back', async () => {
    const pixels: Image = { data: Buffer.alloc(3 * 2 * 4, 9), format: 'raw', width: 3, height: 2, fileName: 'p.png', channels: 4 };
    answers.push((request, body, response) => {
      const headers = request.headers as Record<string, string>;
      const echoed = pick(headers, 'content-type', 'x-image-width', 'x-image-height', 'x-image-channels');
      response.writeHead(200, { ...echoed, 'x-compute-ms': '1' }).end(body);
    });
    const response = await client().reduceNoise(pixels, new AbortController().signal);
    expect(received[0].url).toBe('/v1/reduce-noise?outputFormat=raw');
    expect(received[0].headers).toMatchObject({
      'content-type': 'application/vnd.imagepipeline.raw-pixels',
      'x-image-width': '3',
      'x-image-height': '2',
      'x-image-channels': '4',
    });
    expect(response).toEqual({ image: pixels, computeMs: 1 });
  });

  it('asks the classifier for JSON and passes topK', async () => {
    answers.push(json(200, { label: 'tabby', topK: [{ label: 'tabby', classIndex: 281, probability: 0.9 }], computeMs: 3 }));
    const response = await client().classify(image, 1, new AbortController().signal);
    expect(received[0].url).toBe('/v1/classify?topK=1');
    expect(received[0].headers.accept).toBe('application/json');
    expect(response).toEqual({ label: 'tabby', topK: [{ label: 'tabby', classIndex: 281, probability: 0.9 }], computeMs: 3 });
  });

  it('retries a 503 (model still loading) and then succeeds', async () => {
    answers.push(json(503, { error: 'MODEL_UNAVAILABLE', message: 'loading' }), pngEcho);
    const response = await client().removeBackground(image, new AbortController().signal);
    expect(received).toHaveLength(2);
    expect(response.computeMs).toBe(12.5);
  });

  it('keeps the stage error code and does not retry a client error', async () => {
    answers.push(json(400, { error: 'IMAGE_UNREADABLE', message: 'cannot decode' }));
    const error = await catchPipelineError(client().reduceNoise(image, new AbortController().signal));
    expect(error).toMatchObject({ code: 'IMAGE_UNREADABLE', message: 'noise-reducer: cannot decode' });
    expect(received).toHaveLength(1);
  });

  it('gives up after the configured retries with the last 503 error', async () => {
    answers.push(...Array.from({ length: 3 }, () => json(503, { error: 'STAGE_UNAVAILABLE', message: 'busy' })));
    const error = await catchPipelineError(client({}, 2).upload(image, new AbortController().signal));
    expect(error.code).toBe('STAGE_UNAVAILABLE');
    expect(received).toHaveLength(3);
  });

  it('maps connection refused to STAGE_UNAVAILABLE after retrying', async () => {
    const dead = `127.0.0.1:${await closedPort()}`;
    const error = await catchPipelineError(client({ classifier: dead }, 1).classify(image, 5, new AbortController().signal));
    expect(error.code).toBe('STAGE_UNAVAILABLE');
    expect(error.message).toMatch(/cannot reach classifier .*ECONNREFUSED.* after 2 attempt/);
  });

  it('retries an answer cut off mid-body, and reads a whole one', async () => {
    answers.push((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': '1000' });
      response.write(Buffer.alloc(10));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    answers.push(pngEcho);
    const result = await client().upload(image, new AbortController().signal);
    expect(result.image?.data).toEqual(image.data);
    expect(received).toHaveLength(2);
  });

  it.runIf(h2c)('retries a stream the server refused (it was never processed)', async () => {
    answers.push((_request, _body, response) => (response as unknown as http2.Http2ServerResponse).stream.close(http2.constants.NGHTTP2_REFUSED_STREAM));
    answers.push(pngEcho);
    const result = await client().upload(image, new AbortController().signal);
    expect(result.image?.data).toEqual(image.data);
    expect(received).toHaveLength(2);
  });

  it('stops when its signal aborts, with the PipelineError reason', async () => {
    answers.push((_request, body, response) => setTimeout(() => pngEcho(_request, body, response), 2000));
    const controller = new AbortController();
    const pending = client().upload(image, controller.signal);
    setTimeout(() => controller.abort(new PipelineError('DEADLINE_EXCEEDED', 'upload deadline passed')), 20);
    const error = await catchPipelineError(pending);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: 'upload deadline passed' });
  });

  it('rejects calls after close', async () => {
    const closed = client();
    await closed.close();
    const error = await catchPipelineError(closed.upload(image, new AbortController().signal));
    expect(error.code).toBe('STAGE_UNAVAILABLE');
  });

  describe('with encoding json-base64', () => {
    const jsonClient = () =>
      new RestStageClient({
        addresses: { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address },
        encoding: 'json-base64',
        http2: overHttp2,
      });

    it('sends the image as JSON with base64 and reads a JSON answer', async () => {
      answers.push(
        json(200, { image: { data: image.data.toString('base64'), format: 'png', width: 3, height: 2, fileName: 'a b.png', channels: 0 }, computeMs: 7 }),
      );
      const response = await jsonClient().reduceNoise(image, new AbortController().signal);
      expect(received[0].url).toBe('/v1/reduce-noise?outputFormat=raw');
      expect(received[0].headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' });
      expect(JSON.parse(received[0].body.toString())).toEqual({
        image: { data: image.data.toString('base64'), format: 'png', width: 3, height: 2, fileName: 'a b.png' },
      });
      expect(response).toEqual({ image, computeMs: 7 });
    });

    it('reads the upload id from the JSON answer', async () => {
      answers.push(json(200, { image: { data: image.data.toString('base64'), format: 'png' }, uploadId: 'u1', computeMs: 1 }));
      const response = await jsonClient().upload(image, new AbortController().signal);
      expect(response.uploadId).toBe('u1');
      expect(response.image?.data).toEqual(image.data);
    });

    it('is what fromConfig builds for REST_STAGE_ENCODING=json', async () => {
      answers.push(json(200, { image: { data: image.data.toString('base64'), format: 'png' }, computeMs: 2 }));
      const addresses = { uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address };
      const configured = RestStageClient.fromConfig({ stageAddresses: addresses, stageCallRetries: 0, restStageEncoding: 'json', restStageHttp2: h2c });
      await configured.removeBackground(image, new AbortController().signal);
      expect(received[0].headers['content-type']).toBe('application/json');
    });

    it('keeps the stage error code of a JSON error answer', async () => {
      answers.push(json(400, { error: 'INVALID_ARGUMENT', message: 'not an image' }));
      const error = await catchPipelineError(jsonClient().upload(image, new AbortController().signal));
      expect(error.code).toBe('INVALID_ARGUMENT');
    });
  });
});
