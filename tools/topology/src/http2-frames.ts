/** What a client sends first on a cleartext HTTP/2 connection (RFC 9113, 3.4). */
export const HTTP2_CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Frame type names by type code (RFC 9113, 6). */
const FRAME_TYPES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];

const FRAME_HEADER_BYTES = 9;

/** HTTP/2 frames seen, by type name (`DATA`, `WINDOW_UPDATE`, …). */
export type FrameCounts = Record<string, number>;

/**
 * Counts the HTTP/2 frames of one direction of a cleartext connection, fed its bytes in order and
 * in chunks of any size. The client's direction starts with the connection preface, skipped.
 */
export class Http2FrameCounter {
  readonly counts: FrameCounts = {};
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerBytes = 0;
  /** Bytes still to skip: the preface, then each frame's payload. */
  private skip: number;

  constructor(startsWithPreface: boolean) {
    this.skip = startsWithPreface ? HTTP2_CLIENT_PREFACE.length : 0;
  }

  feed(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, chunk.length - offset);
        this.skip -= skipped;
        offset += skipped;
        continue;
      }
      const taken = Math.min(FRAME_HEADER_BYTES - this.headerBytes, chunk.length - offset);
      chunk.copy(this.header, this.headerBytes, offset, offset + taken);
      this.headerBytes += taken;
      offset += taken;
      if (this.headerBytes < FRAME_HEADER_BYTES) return;
      const type = FRAME_TYPES[this.header[3]] ?? `type ${this.header[3]}`;
      this.counts[type] = (this.counts[type] ?? 0) + 1;
      this.skip = this.header.readUIntBE(0, 3);
      this.headerBytes = 0;
    }
  }
}

/** `after` − `before`, type by type. */
export function frameCountsSince(after: FrameCounts, before: FrameCounts): FrameCounts {
  return Object.fromEntries(Object.entries(after).map(([type, n]) => [type, n - (before[type] ?? 0)]));
}

/** The sum of several counts. */
export function addFrameCounts(counts: readonly FrameCounts[]): FrameCounts {
  const sum: FrameCounts = {};
  for (const one of counts) for (const [type, n] of Object.entries(one)) sum[type] = (sum[type] ?? 0) + n;
  return sum;
}
