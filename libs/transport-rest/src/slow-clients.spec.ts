// Slow and stalled clients against a real REST stage server with one work slot: they may hold a
// connection until a timeout cuts it, never the slot.
import { testPhotoPath } from '@imagepipeline/imaging/testing';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';
import { fakeNoiseReducer, formData, testServerConfig } from './testing/rest-test-kit';

const rocket = readFileSync(testPhotoPath('rocket.jpg'));
const LIMITS = { headersTimeoutMs: 300, requestTimeoutMs: 600, idleTimeoutMs: 400, maxConnections: 8 };

let server: RunningRestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.destroy());
  await server?.close();
  server = undefined;
});

async function startServer(h2c = false): Promise<RunningRestServer> {
  const config = testServerConfig('noise-reducer', { maxConcurrent: 1, maxQueued: 0, connections: LIMITS, h2c });
  server = await startRestServer(await buildStageRestServer(fakeNoiseReducer(), config), config);
  return server;
}

/** A raw connection that sends `text` and then nothing; resolves with what it got once the server closes it. */
async function stalledClient(port: number, text: string): Promise<{ closedAfterMs: number; received: string }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const opened = Date.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  if (text) socket.write(text);
  await new Promise((resolve) => socket.once('close', resolve));
  return { closedAfterMs: Date.now() - opened, received };
}

const validRequest = (url: string) =>
  fetch(`${url}/v1/reduce-noise`, { method: 'POST', body: rocket, headers: { 'content-type': 'image/jpeg' }, signal: AbortSignal.timeout(2_000) });

const stalledBodyHeaders = (contentType: string) =>
  `POST /v1/reduce-noise HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: 100000\r\n\r\n`;

describe('a REST server with slow and stalled clients', () => {
  it('answers others while a body never finishes, then cuts that request off with 408', async () => {
    const { port, url } = await startServer();
    const stalled = stalledClient(port, stalledBodyHeaders('image/jpeg'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await validRequest(url)).status).toBe(200);
    const cut = await stalled;
    expect(cut.received).toMatch(/^HTTP\/1\.1 408/);
    expect(cut.closedAfterMs).toBeLessThan(LIMITS.requestTimeoutMs + 2_000);
  });

  it('reads a multipart image before admitting it, so a stalled multipart upload holds no slot either', async () => {
    const { port, url } = await startServer();
    const stalled = stalledClient(port, `${stalledBodyHeaders('multipart/form-data; boundary=b')}--b\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nxx`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const multipart = await fetch(`${url}/v1/reduce-noise`, { method: 'POST', body: formData([{ field: 'image', bytes: rocket, name: 'rocket.jpg' }]), signal: AbortSignal.timeout(2_000) });
    expect(multipart.status).toBe(200);
    await stalled;
  });

  it('closes a connection that never sends its headers, and one kept alive but idle', async () => {
    const { port } = await startServer();
    const silent = await stalledClient(port, '');
    expect(silent.closedAfterMs).toBeLessThan(LIMITS.headersTimeoutMs + 2_000);
    const idle = await stalledClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(idle.received).toMatch(/^HTTP\/1\.1 200/);
    expect(idle.closedAfterMs).toBeGreaterThanOrEqual(LIMITS.idleTimeoutMs - 50);
    expect(idle.closedAfterMs).toBeLessThan(LIMITS.idleTimeoutMs + 2_000);
  });

  it('closes connections beyond the bound as they arrive, and serves again once they are gone', async () => {
    const { port, url } = await startServer();
    const held = Array.from({ length: LIMITS.maxConnections }, () => connect(port, '127.0.0.1'));
    sockets.push(...held);
    await Promise.all(held.map((socket) => new Promise((resolve) => socket.once('connect', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = await stalledClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(extra.received).toBe('');
    held.forEach((socket) => socket.destroy());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await validRequest(url)).status).toBe(200);
  });

  it('over h2c, closes a session once it has had no stream for the idle timeout', async () => {
    const { url } = await startServer(true);
    const session = http2.connect(url);
    const opened = Date.now();
    const answered = await new Promise<number>((resolve, reject) => {
      const stream = session.request({ ':path': '/healthz' });
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', reject);
      stream.resume();
    });
    expect(answered).toBe(200);
    await new Promise((resolve) => session.once('close', resolve));
    expect(Date.now() - opened).toBeGreaterThanOrEqual(LIMITS.idleTimeoutMs - 50);
  });
});
