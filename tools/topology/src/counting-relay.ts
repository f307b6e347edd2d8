import net from 'node:net';
import { addFrameCounts, HTTP2_CLIENT_PREFACE, Http2FrameCounter, type FrameCounts } from './http2-frames';

/** Bytes a proxy has relayed so far: `up` from its clients to the service, `down` back. */
export interface ByteCounts {
  up: number;
  down: number;
}

/** HTTP/2 frames a proxy has relayed so far on its cleartext HTTP/2 connections, each direction. */
export interface RelayedFrames {
  up: FrameCounts;
  down: FrameCounts;
}

export interface CountingProxy {
  /** `host:port` clients should use. */
  address: string;
  counts(): ByteCounts;
  /** Frames by type on the connections that opened with the HTTP/2 preface (gRPC, h2c); none for HTTP/1.1. */
  frames(): RelayedFrames;
  close(): Promise<void>;
}

export interface CountingProxyOptions {
  /** Where the proxy listens (`0.0.0.0` to accept from network namespaces). */
  listenHost: string;
  /** Address clients are given: `advertiseHost:port` (default listenHost). */
  advertiseHost?: string;
  port: number;
  target: { host: string; port: number };
  /** Holds every chunk this long in each direction: a delay added by the relay (no netem here). */
  delayMs?: number;
}

/**
 * A TCP relay that counts the bytes of every connection at the socket, each direction, so bytes on
 * the wire are measured the same way for every protocol (HTTP/1.1 and HTTP/2 framing included), and
 * the frames of HTTP/2 connections by type.
 */
export async function startCountingProxy(options: CountingProxyOptions): Promise<CountingProxy> {
  const totals: ByteCounts = { up: 0, down: 0 };
  const connections: FramedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const framed = new FramedConnection();
    connections.push(framed);
    const service = net.connect(options.target.port, options.target.host);
    client.setNoDelay(true);
    service.setNoDelay(true);
    for (const socket of [client, service]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        service.destroy();
      });
    }
    relay(client, service, (chunk) => {
      totals.up += chunk.length;
      framed.fromClient(chunk);
    }, options.delayMs ?? 0);
    relay(service, client, (chunk) => {
      totals.down += chunk.length;
      framed.fromService(chunk);
    }, options.delayMs ?? 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.listenHost, () => resolve());
  });
  return {
    // The bound port: the real one when `options.port` was 0.
    address: `${options.advertiseHost ?? options.listenHost}:${(server.address() as net.AddressInfo).port}`,
    counts: () => ({ ...totals }),
    frames: () => {
      const http2 = connections.filter((connection) => connection.isHttp2);
      return { up: addFrameCounts(http2.map((c) => c.up.counts)), down: addFrameCounts(http2.map((c) => c.down.counts)) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Both directions of one relayed connection parsed as HTTP/2 frames; the counts are kept only when
 * the client opened with the HTTP/2 preface (the service's bytes are parsed from the start either
 * way, so no frame boundary is missed before that is known).
 */
class FramedConnection {
  readonly up = new Http2FrameCounter(true);
  readonly down = new Http2FrameCounter(false);
  private opening = Buffer.alloc(0);
  isHttp2 = false;

  fromClient(chunk: Buffer): void {
    if (this.opening.length < HTTP2_CLIENT_PREFACE.length) {
      this.opening = Buffer.concat([this.opening, chunk.subarray(0, HTTP2_CLIENT_PREFACE.length - this.opening.length)]);
      this.isHttp2 = this.opening.equals(HTTP2_CLIENT_PREFACE);
    }
    this.up.feed(chunk);
  }

  fromService(chunk: Buffer): void {
    this.down.feed(chunk);
  }
}

/** Pipes `from` into `to`, showing `observe` every chunk; with a delay, each chunk is written `delayMs` later, in order. */
function relay(from: net.Socket, to: net.Socket, observe: (chunk: Buffer) => void, delayMs: number): void {
  from.on('end', () => (delayMs > 0 ? setTimeout(() => to.end(), delayMs) : to.end()));
  if (delayMs <= 0) {
    from.on('data', (chunk: Buffer) => {
      observe(chunk);
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    return;
  }
  from.on('data', (chunk: Buffer) => {
    observe(chunk);
    setTimeout(() => to.write(chunk), delayMs);
  });
}
