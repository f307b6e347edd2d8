import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttp2Server, type ServerHttp2Session } from 'node:http2';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isReady, readinessOf, waitUntilReady } from './readiness';

describe('readiness probes', () => {
  const closers: (() => void)[] = [];
  afterAll(() => closers.forEach((close) => close()));

  it('follows a REST /readyz from 503 to 200', async () => {
    let ready = false;
    const server: HttpServer = createServer((request, response) => {
      response.statusCode = request.url === '/readyz' && ready ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await isReady('rest', address)).toBe(false);
    setTimeout(() => (ready = true), 300);
    await waitUntilReady('rest', address, 5000);
  });

  it('asks a REST stage that serves only h2c (REST_STAGE_HTTP2) over HTTP/2', async () => {
    let ready = false;
    const server = createHttp2Server((request, response) => {
      response.statusCode = request.url === '/readyz' && ready ? 200 : 503;
      response.end();
    });
    const sessions = new Set<ServerHttp2Session>();
    server.on('session', (session) => sessions.add(session));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      sessions.forEach((session) => session.destroy());
      server.close();
    });
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await isReady('rest', address)).toBe(false);
    ready = true;
    expect(await isReady('rest', address)).toBe(true);
  });

  it('follows gRPC health from NOT_SERVING to SERVING', async () => {
    const health = new HealthImplementation({ '': 'NOT_SERVING' });
    const server = new Server();
    health.addToServer(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    closers.push(() => server.forceShutdown());
    const address = `127.0.0.1:${port}`;
    expect(await isReady('grpc', address)).toBe(false);
    health.setStatus('', 'SERVING');
    expect(await isReady('grpc', address)).toBe(true);
  });

  it('tells a service that answers "not ready" from one that does not answer at all', async () => {
    const silent = createNetServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(() => silent.close());
    expect(await readinessOf('rest', `127.0.0.1:${(silent.address() as AddressInfo).port}`)).toBe('no-answer');
    expect(await readinessOf('rest', '127.0.0.1:1')).toBe('not-ready');
  });

  it('names the service when it never becomes ready', async () => {
    await expect(waitUntilReady('rest', '127.0.0.1:1', 500, 'uploader-rest')).rejects.toThrow(/uploader-rest \(rest at 127.0.0.1:1\) was not ready within 500 ms/);
  });
});
