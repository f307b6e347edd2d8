import { createUploaderRuntime } from '@imagepipeline/stages';
import { makeSvg, makeTextBytes, testPhotoPath } from '@imagepipeline/imaging/testing';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';
import { runStageRestServer } from './run-rest-server';
import { closedPort, fakeNoiseReducer, formData, jsonOf, shutDownWhileHeld, testServerConfig, testStageConfig, untilCalled } from './testing/rest-test-kit';

const LIMIT = 256 * 1024;
const rocket = readFileSync(testPhotoPath('rocket.jpg'));

describe('a stage REST server (uploader, real runtime)', () => {
  let server: RunningRestServer;
  const post = (init: RequestInit & { query?: string }) =>
    fetch(`${server.url}/v1/upload${init.query ?? ''}`, { method: 'POST', ...init });

  beforeAll(async () => {
    const config = testStageConfig('uploader', { maxRequestBytes: LIMIT });
    server = await startRestServer(await buildStageRestServer(createUploaderRuntime(config), config.server), config.server);
  });
  afterAll(() => server.close());

  it('takes multipart and answers JSON with base64 image', async () => {
    const response = await post({ body: formData([{ field: 'image', bytes: rocket, name: 'rocket.jpg' }]) });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toMatchObject({ image: { format: 'png', width: 640, height: 427, fileName: 'rocket.jpg' } });
    expect(body.uploadId).toMatch(/^[0-9a-f]{64}$/);
    expect(body.computeMs).toBeGreaterThan(0);
    const png = await sharp(Buffer.from(body.image.data, 'base64')).metadata();
    expect(png).toMatchObject({ format: 'png', width: 640, height: 427 });
  });

  it('takes a raw body and answers the PNG itself for Accept: image/png', async () => {
    const response = await post({
      body: rocket,
      query: '?fileName=my%20rocket.jpg',
      headers: { 'content-type': 'image/jpeg', accept: 'image/png' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-image-width')).toBe('640');
    expect(response.headers.get('x-upload-id')).toMatch(/^[0-9a-f]{64}$/);
    expect(decodeURIComponent(response.headers.get('x-file-name') ?? '')).toBe('my rocket.jpg');
    expect(Number(response.headers.get('x-compute-ms'))).toBeGreaterThan(0);
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).height).toBe(427);
  });

  it('takes application/octet-stream with the file name in a header', async () => {
    const response = await post({
      body: rocket,
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('chat é.jpg') },
    });
    expect(response.status).toBe(200);
    expect((await jsonOf(response)).image.fileName).toBe('chat é.jpg');
  });

  it('takes JSON with base64 image data, the original project style', async () => {
    const response = await post({
      body: JSON.stringify({ image: { data: rocket.toString('base64'), fileName: 'rocket.jpg' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect((await jsonOf(response)).image).toMatchObject({ width: 640, fileName: 'rocket.jpg' });
  });

  it.each([
    ['garbage bytes', { body: makeTextBytes(), headers: { 'content-type': 'image/jpeg' } }, 400, 'IMAGE_UNREADABLE'],
    ['an empty raw body', { body: new Uint8Array(0), headers: { 'content-type': 'image/png' } }, 400, 'IMAGE_EMPTY'],
    ['no body at all', {}, 400, 'IMAGE_EMPTY'],
    ['an empty JSON body', { body: '', headers: { 'content-type': 'application/json' } }, 400, 'IMAGE_EMPTY'],
    ['empty base64 data', { body: '{"image":{"data":""}}', headers: { 'content-type': 'application/json' } }, 400, 'IMAGE_EMPTY'],
    ['JSON without an image', { body: '{"picture":{}}', headers: { 'content-type': 'application/json' } }, 400, 'INVALID_ARGUMENT'],
    ['an SVG', { body: makeSvg(), headers: { 'content-type': 'image/svg+xml' } }, 415, 'IMAGE_UNSUPPORTED_FORMAT'],
    ['text/plain', { body: 'hello', headers: { 'content-type': 'text/plain' } }, 415, 'IMAGE_UNSUPPORTED_FORMAT'],
    ['application/xml', { body: '<a/>', headers: { 'content-type': 'application/xml' } }, 415, 'IMAGE_UNSUPPORTED_FORMAT'],
    ['a raw body over the limit', { body: Buffer.alloc(LIMIT + 1), headers: { 'content-type': 'image/png' } }, 413, 'IMAGE_TOO_LARGE'],
  ])('answers %s with %i %s', async (_what, init, status, code) => {
    const response = await post(init as RequestInit);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await jsonOf(response);
    expect(body).toEqual({ error: code, message: expect.any(String) });
  });

  it('refuses base64 that decodes to more than the limit with 413', async () => {
    const body = JSON.stringify({ image: { data: Buffer.alloc(LIMIT + 10).toString('base64') } });
    const response = await post({ body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(413);
    expect((await jsonOf(response)).error).toBe('IMAGE_TOO_LARGE');
  });

  it('refuses a multipart file over the limit with 413', async () => {
    const response = await post({ body: formData([{ field: 'image', bytes: Buffer.alloc(LIMIT + 1), name: 'big.png' }]) });
    expect(response.status).toBe(413);
    expect((await jsonOf(response)).error).toBe('IMAGE_TOO_LARGE');
  });

  it.each([
    ['no file', formData([], { topK: '3' }), /no file in field "image"/],
    ['two files', formData([{ field: 'image', bytes: rocket, name: 'a.jpg' }, { field: 'image', bytes: rocket, name: 'b.jpg' }]), /exactly one file/],
    ['a file in the wrong field', formData([{ field: 'photo', bytes: rocket, name: 'a.jpg' }]), /unexpected file in field "photo"/],
  ])('answers multipart with %s with 400 and says why', async (_what, body, message) => {
    const response = await post({ body });
    expect(response.status).toBe(400);
    const answer = await jsonOf(response);
    expect(answer.error).toBe('INVALID_ARGUMENT');
    expect(answer.message).toMatch(message);
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const response = await fetch(`${server.url}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('counts requests by route and status in /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/pipeline_requests_total\{method="POST \/v1\/upload",code="200"[^}]*\} [1-9]/);
    expect(text).toMatch(/pipeline_requests_total\{[^}]*code="415"/);
    expect(text).toMatch(/pipeline_request_duration_seconds_bucket\{/);
    expect(text).toMatch(/pipeline_requests_in_flight/);
    expect(text).toMatch(/pipeline_queue_running\{queue="uploader requests"/);
    expect(text).toMatch(/pipeline_stage_compute_seconds_count\{service="uploader",protocol="rest",stage="uploader"\} [1-9]/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });
});

describe('a stage REST server (fake noise reducer)', () => {
  const runtime = fakeNoiseReducer();
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildStageRestServer(runtime, testServerConfig('noise-reducer', { maxConcurrent: 1, maxQueued: 1 }));
  });
  afterAll(() => app.close());

  it('is live at once and ready only when its runtime is', async () => {
    runtime.setReady(false);
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'live', service: 'noise-reducer' });
    const notReady = await app.inject('/readyz');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ error: 'STAGE_UNAVAILABLE' });
    runtime.setReady(true);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });

  it('passes options from the query or form fields, checked by the schema', async () => {
    const form = formData([{ field: 'image', bytes: rocket, name: 'rocket.jpg' }], { kernelSize: '7' });
    const viaForm = await app.inject({ method: 'POST', url: '/v1/reduce-noise', body: form });
    expect(viaForm.statusCode).toBe(200);
    expect(runtime.calls.at(-1)?.kernelSize).toBe(7);
    const viaQuery = await app.inject({
      method: 'POST',
      url: '/v1/reduce-noise?kernelSize=3',
      body: rocket,
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(viaQuery.statusCode).toBe(200);
    expect(runtime.calls.at(-1)?.kernelSize).toBe(3);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/reduce-noise',
      body: formData([{ field: 'image', bytes: rocket, name: 'rocket.jpg' }], { kernelSize: 'big' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'INVALID_ARGUMENT', message: expect.stringMatching(/kernelSize/) });
  });

  it('lets maxConcurrent run and maxQueued wait, then answers 429 with Retry-After', async () => {
    runtime.hold();
    const send = () =>
      app.inject({ method: 'POST', url: '/v1/reduce-noise', body: rocket, headers: { 'content-type': 'image/jpeg' } });
    const running = send();
    const waiting = send();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await send();
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: 'QUEUE_FULL' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    runtime.release();
    expect((await running).statusCode).toBe(200);
    expect((await waiting).statusCode).toBe(200);
    expect(app.concurrencyGuard.stats()).toMatchObject({ running: 0, waiting: 0, rejected: 1 });
  });
});

describe('a client that gives up', () => {
  it('aborts the stage’s work: the signal its runtime got fires', async () => {
    const runtime = fakeNoiseReducer();
    runtime.hold();
    const config = testServerConfig('noise-reducer');
    const server = await startRestServer(await buildStageRestServer(runtime, config), config);
    const call = fetch(`${server.url}/v1/reduce-noise`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' }, signal: AbortSignal.timeout(200) });
    await expect(call).rejects.toThrow();
    await expect.poll(() => runtime.signals.at(-1)?.aborted).toBe(true);
    runtime.release();
    await server.close();
  });
});

describe('graceful shutdown', () => {
  it('turns /readyz to 503, lets the in-flight request finish, then closes the runtime', async () => {
    const runtime = fakeNoiseReducer();
    const exits: number[] = [];
    const service = await runStageRestServer(runtime, testServerConfig('noise-reducer'), {
      signals: [],
      exit: (code) => exits.push(code),
    });
    runtime.hold();
    const inFlight = fetch(`${service.server.url}/v1/reduce-noise`, {
      method: 'POST',
      body: rocket,
      headers: { 'content-type': 'image/jpeg', accept: 'image/png' },
    });
    await untilCalled(runtime);
    const started = Date.now();
    const shutdown = service.shutdown();
    expect(service.server.app.readiness.isReady()).toBe(false);
    expect((await service.server.app.inject('/readyz')).statusCode).toBe(503);
    await expect(fetch(`${service.server.url}/healthz`)).rejects.toThrow();
    runtime.release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(rocket);
    await shutdown;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(runtime.closed).toBe(true);
    expect(exits).toEqual([]);
  });

  it('cuts connections still open after the grace period', async () => {
    const runtime = fakeNoiseReducer();
    const service = await runStageRestServer(runtime, testServerConfig('noise-reducer', { shutdownGraceMs: 100 }), {
      signals: [],
    });
    runtime.hold();
    const inFlight = fetch(`${service.server.url}/v1/reduce-noise`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' } });
    const shutdown = await shutDownWhileHeld(service, runtime, inFlight);
    expect(shutdown.ms).toBeLessThan(2000);
    expect(shutdown.call).toBe('cut off');
    expect(runtime.closed).toBe(true);
    runtime.release();
  });

  it('does not wait for a connection that never sent a request', async () => {
    const config = testServerConfig('noise-reducer');
    const server = await startRestServer(await buildStageRestServer(fakeNoiseReducer(), config), config);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    socket.destroy();
  });
});

describe('closedPort', () => {
  it('finds a port with no listener', async () => {
    const port = await closedPort();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
