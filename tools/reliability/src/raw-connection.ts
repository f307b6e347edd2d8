// A TCP connection that sends exactly the bytes it is told and nothing else, the way a slow, stalled
// or greedy client does (no library would), and notes whether and when the server closed it.
import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export class RawConnection {
  /** `performance.now()` when the server closed it; undefined while it is open or once we closed it. */
  closedAt: number | undefined;
  /** Settles when the socket is closed, by either side. */
  readonly closed: Promise<void>;
  private readonly chunks: Buffer[] = [];
  private closedByUs = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    socket.on('error', () => undefined); // a reset by the server is a close like any other
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        if (!this.closedByUs) this.closedAt = performance.now();
        resolve();
      }),
    );
  }

  static open(address: string): Promise<RawConnection> {
    const [host, port] = address.split(':');
    const socket = connect(Number(port), host);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.closedAt === undefined && !this.closedByUs;
  }

  write(bytes: Buffer | string): void {
    if (this.isOpen) this.socket.write(bytes);
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.socket.on('data', listener);
  }

  /** Everything the server sent, as Latin-1 text. */
  received(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }

  /** Waits until the server has closed it, at most until `deadline` (`performance.now()` time); whether it did. */
  async closedBy(deadline: number): Promise<boolean> {
    await Promise.race([this.closed, delay(Math.max(0, deadline - performance.now()))]);
    return this.closedAt !== undefined;
  }

  destroy(): void {
    this.closedByUs = this.closedAt === undefined;
    this.socket.destroy();
  }
}
