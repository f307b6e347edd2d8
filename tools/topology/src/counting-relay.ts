import net from 'node:net';

/** Bytes a proxy has relayed so far: `up` from its clients to the service, `down` back. */
export interface ByteCounts {
  up: number;
  down: number;
}

export interface CountingProxy {
  /** `host:port` clients should use. */
  address: string;
  counts(): ByteCounts;
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
 * the wire are measured the same way for every protocol (HTTP/1.1 and HTTP/2 framing included).
 */
export async function startCountingProxy(options: CountingProxyOptions): Promise<CountingProxy> {
  const totals: ByteCounts = { up: 0, down: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
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
    relay(client, service, (n) => (totals.up += n), options.delayMs ?? 0);
    relay(service, client, (n) => (totals.down += n), options.delayMs ?? 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.listenHost, () => resolve());
  });
  return {
    address: `${options.advertiseHost ?? options.listenHost}:${options.port}`,
    counts: () => ({ ...totals }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Pipes `from` into `to`, counting bytes; with a delay, each chunk is written `delayMs` later, in order. */
function relay(from: net.Socket, to: net.Socket, count: (n: number) => void, delayMs: number): void {
  from.on('end', () => (delayMs > 0 ? setTimeout(() => to.end(), delayMs) : to.end()));
  if (delayMs <= 0) {
    from.on('data', (chunk: Buffer) => {
      count(chunk.length);
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    return;
  }
  from.on('data', (chunk: Buffer) => {
    count(chunk.length);
    setTimeout(() => to.write(chunk), delayMs);
  });
}
