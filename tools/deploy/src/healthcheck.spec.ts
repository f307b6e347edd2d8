import { DEFAULT_PORTS } from '@imagepipeline/config';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthcheck, HEALTHCHECK_SCRIPT } from './healthcheck-run';

describe('docker/healthcheck.mjs', () => {
  describe('gRPC', () => {
    const health = new HealthImplementation({ '': 'NOT_SERVING' });
    const server = new Server();
    let port = 0;

    beforeAll(async () => {
      health.addToServer(server);
      port = await new Promise<number>((resolve, reject) =>
        server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
      );
    });
    afterAll(() => server.forceShutdown());

    it('fails while the server reports NOT_SERVING, passes once it is SERVING', async () => {
      health.setStatus('', 'NOT_SERVING');
      const notReady = await healthcheck(['grpc', String(port)]);
      expect(notReady).toEqual({ code: 1, output: expect.stringContaining('NOT_SERVING') });
      health.setStatus('', 'SERVING');
      expect(await healthcheck(['grpc', String(port)])).toEqual({ code: 0, output: expect.stringContaining('SERVING') });
    });

    it('takes the protocol from $APP and the port from $PORT when given no arguments', async () => {
      health.setStatus('', 'SERVING');
      expect((await healthcheck([], { APP: 'classifier-grpc', PORT: String(port) })).code).toBe(0);
    });
  });

  describe('REST', () => {
    let ready = false;
    let server: HttpServer;
    let port = 0;

    beforeAll(async () => {
      server = createServer((request, response) => {
        response.statusCode = { '/readyz': ready ? 200 : 503, '/healthz': 200 }[request.url ?? ''] ?? 404;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fails while /readyz answers 503, passes once it answers 200', async () => {
      ready = false;
      expect(await healthcheck(['rest', String(port)])).toEqual({ code: 1, output: expect.stringContaining('503') });
      ready = true;
      expect((await healthcheck(['rest', String(port)])).code).toBe(0);
      expect((await healthcheck([], { APP: 'uploader-rest', PORT: String(port) })).code).toBe(0);
    });

    it('asks /healthz with --live: a service still loading its model is alive, not restarted', async () => {
      ready = false;
      expect(await healthcheck(['--live'], { APP: 'classifier-rest', PORT: String(port) })).toEqual({ code: 0, output: expect.stringContaining('live') });
    });

    it('asks an orchestrator over HTTP/1.1 even with REST_STAGE_HTTP2 (only stages serve h2c)', async () => {
      ready = true;
      expect((await healthcheck([], { APP: 'orchestrator-rest', PORT: String(port), REST_STAGE_HTTP2: 'true' })).code).toBe(0);
    });
  });

  describe('REST stage over h2c (REST_STAGE_HTTP2)', () => {
    let ready = false;
    let server: Http2Server;
    let port = 0;

    beforeAll(async () => {
      server = createHttp2Server((request, response) => {
        response.statusCode = request.url === '/readyz' ? (ready ? 200 : 503) : 404;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('asks /readyz over h2c: fails on 503, passes on 200', async () => {
      const env = { APP: 'uploader-rest', PORT: String(port), REST_STAGE_HTTP2: 'true' };
      ready = false;
      expect(await healthcheck([], env)).toEqual({ code: 1, output: expect.stringContaining('503') });
      ready = true;
      expect(await healthcheck([], env)).toEqual({ code: 0, output: expect.stringContaining('rest (h2c)') });
    });
  });

  it('fails when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = String((closed.address() as AddressInfo).port);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await healthcheck(['grpc', port])).code).toBe(1);
    expect((await healthcheck(['rest', port])).code).toBe(1);
  });

  it('passes for the pipeline-cli image, which runs a job rather than a server', async () => {
    expect(await healthcheck([], { APP: 'pipeline-cli' })).toEqual({ code: 0, output: expect.stringContaining('nothing to check') });
  });

  it('rejects a call it cannot understand', async () => {
    expect((await healthcheck(['soap', '1'])).code).toBe(1);
    expect((await healthcheck([], { APP: 'mystery' })).code).toBe(1);
  });

  it('knows the same default ports as @imagepipeline/config', async () => {
    const script = (await import(pathToFileURL(HEALTHCHECK_SCRIPT).href)) as { DEFAULT_PORTS: unknown };
    expect(script.DEFAULT_PORTS).toEqual(DEFAULT_PORTS);
  });
});
