import { testPhotoImage } from '@imagepipeline/imaging/testing';
import { createUploaderRuntime } from '@imagepipeline/stages';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';
import { RestStageClient } from './rest-stage-client';
import { runStageRestServer } from './run-rest-server';
import { fakeNoiseReducer, shutDownWhileHeld, testServerConfig, testStageConfig, untilCalled } from './testing/rest-test-kit';

const stagesAt = (address: string) => ({ uploader: address, 'noise-reducer': address, 'background-remover': address, classifier: address });
const hostOf = (url: string) => new URL(url).host;

/** GET over h2c on a session of its own: the status. */
function h2cGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(new URL(url).origin);
    session.on('error', reject);
    const request = session.request({ ':path': new URL(url).pathname });
    request.on('response', (headers) => resolve(Number(headers[':status'])));
    request.on('close', () => session.close());
    request.resume();
  });
}

describe('a stage REST server over h2c (REST_STAGE_HTTP2)', () => {
  let server: RunningRestServer;
  let client: RestStageClient;

  beforeAll(async () => {
    const config = testStageConfig('uploader', { h2c: true });
    server = await startRestServer(await buildStageRestServer(createUploaderRuntime(config), config.server), config.server);
    client = new RestStageClient({ addresses: stagesAt(hostOf(server.url)), retries: 0, http2: true });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('takes a photo from the orchestrator’s client over h2c and answers its raw pixels', async () => {
    const photo = await testPhotoImage('rocket.jpg');
    const answer = await client.upload(photo, AbortSignal.timeout(10_000));
    expect(answer.image).toMatchObject({ format: 'raw', width: 640, height: 427, channels: 3, fileName: 'rocket.jpg' });
    expect(answer.image?.data.length).toBe(640 * 427 * 3);
  });

  it('answers /readyz over h2c and refuses HTTP/1.1', async () => {
    expect(await h2cGet(`${server.url}/readyz`)).toBe(200);
    await expect(fetch(`${server.url}/readyz`)).rejects.toThrow();
  });
});

describe('an h2c stage server and a request body that stalls', () => {
  it('resets the stream after the request timeout, and answers other requests on the same session meanwhile', async () => {
    const base = testStageConfig('uploader', { h2c: true }).server;
    const config = { ...base, connections: { ...base.connections, requestTimeoutMs: 300 } };
    const server = await startRestServer(await buildStageRestServer(fakeNoiseReducer(), config), config);
    const session = http2.connect(server.url);
    try {
      const stalled = session.request({ ':method': 'POST', ':path': '/v1/reduce-noise', 'content-type': 'image/jpeg', 'content-length': '100000' });
      stalled.write(Buffer.alloc(1000));
      const reset = new Promise<number>((resolve) => stalled.once('close', () => resolve(stalled.rstCode)));
      const ready = session.request({ ':path': '/readyz' });
      const status = await new Promise<number>((resolve) => ready.once('response', (headers) => resolve(Number(headers[':status']))));
      ready.resume();
      expect(status).toBe(200);
      const started = Date.now();
      expect(await reset).toBe(http2.constants.NGHTTP2_CANCEL);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      session.destroy();
      await server.close();
    }
  });
});

describe('graceful shutdown over h2c', () => {
  it('lets the in-flight request finish and does not wait for the idle session', async () => {
    const runtime = fakeNoiseReducer();
    const service = await runStageRestServer(runtime, testServerConfig('noise-reducer', { h2c: true }), { signals: [] });
    const client = new RestStageClient({ addresses: stagesAt(hostOf(service.server.url)), retries: 0, http2: true });
    const photo = await testPhotoImage('rocket.jpg');
    runtime.hold();
    const inFlight = client.reduceNoise(photo, AbortSignal.timeout(10_000));
    await untilCalled(runtime);
    const started = Date.now();
    const shutdown = service.shutdown();
    runtime.release();
    expect((await inFlight).image?.data).toEqual(photo.data);
    await shutdown;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(runtime.closed).toBe(true);
    await client.close();
  });

  it('cuts a request still running after the grace period', async () => {
    const runtime = fakeNoiseReducer();
    const service = await runStageRestServer(runtime, testServerConfig('noise-reducer', { h2c: true, shutdownGraceMs: 100 }), { signals: [] });
    const client = new RestStageClient({ addresses: stagesAt(hostOf(service.server.url)), retries: 0, http2: true });
    runtime.hold();
    const inFlight = client.reduceNoise(await testPhotoImage('rocket.jpg'), AbortSignal.timeout(10_000));
    const shutdown = await shutDownWhileHeld(service, runtime, inFlight);
    expect(shutdown.ms).toBeLessThan(2000);
    expect(shutdown.call).toBe('cut off');
    runtime.release();
    await client.close();
  });
});
