import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startCountingProxy } from './counting-relay';
import { HTTP2_CLIENT_PREFACE, Http2FrameCounter } from './http2-frames';

/** One frame: 3-byte length, type, flags, stream id, payload. */
function frame(type: number, payloadBytes: number): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payloadBytes, 0, 3);
  header[3] = type;
  header.writeUInt32BE(1, 5);
  return Buffer.concat([header, Buffer.alloc(payloadBytes, 7)]);
}

const listening = (server: http.Server | http2.Http2Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('Http2FrameCounter', () => {
  it('counts frames by type after the preface, whatever the chunking', () => {
    const bytes = Buffer.concat([HTTP2_CLIENT_PREFACE, frame(4, 6), frame(1, 20), frame(0, 40_000), frame(0, 0), frame(8, 4), frame(42, 3)]);
    for (const size of [1, 7, 9, 4096, bytes.length]) {
      const counter = new Http2FrameCounter(true);
      for (let i = 0; i < bytes.length; i += size) counter.feed(bytes.subarray(i, i + size));
      expect(counter.counts).toEqual({ SETTINGS: 1, HEADERS: 1, DATA: 2, WINDOW_UPDATE: 1, 'type 42': 1 });
    }
  });
});

describe('the counting relay', () => {
  it('counts the frames of an h2c request and answer, and none of an HTTP/1.1 one', async () => {
    const body = Buffer.alloc(1024 * 1024, 1);
    const h2Server = http2.createServer((request, response) => request.resume().on('end', () => response.end('ok')));
    const h1Server = http.createServer((request, response) => request.resume().on('end', () => response.end('ok')));
    const h2Relay = await startCountingProxy({ listenHost: '127.0.0.1', port: 0, target: { host: '127.0.0.1', port: await listening(h2Server) } });
    const h1Relay = await startCountingProxy({ listenHost: '127.0.0.1', port: 0, target: { host: '127.0.0.1', port: await listening(h1Server) } });
    try {
      const session = http2.connect(`http://${h2Relay.address}`);
      await new Promise<void>((resolve) => {
        const request = session.request({ ':method': 'POST', ':path': '/' });
        request.on('close', () => resolve());
        request.resume();
        request.end(body);
      });
      session.close();
      await fetch(`http://${h1Relay.address}/`, { method: 'POST', body }).then((response) => response.text());
      const { up, down } = h2Relay.frames();
      // 1 MiB in frames of at most 16 KiB, after a first window of 64 KiB: the server had to open more.
      expect(up.DATA).toBeGreaterThanOrEqual(64);
      expect(up.HEADERS).toBe(1);
      expect(down.WINDOW_UPDATE).toBeGreaterThan(0);
      expect(down.DATA).toBeGreaterThanOrEqual(1);
      expect(h1Relay.frames()).toEqual({ up: {}, down: {} });
    } finally {
      await Promise.all([h2Relay.close(), h1Relay.close()]);
      h2Server.close();
      h1Server.close();
    }
  });
});
