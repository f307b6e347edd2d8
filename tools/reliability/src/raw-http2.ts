// HTTP/2 written by hand (RFC 9113 frames, RFC 7541 literal headers) over a raw connection, for what
// node:http2 never sends: a header block that stops half way, streams beyond the server's limit.
import { RawConnection } from './raw-connection';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const FRAME_TYPES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];
const DATA = 0;
const HEADERS = 1;
const SETTINGS = 4;
const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;
const FRAME_HEADER_BYTES = 9;
const SETTINGS_MAX_CONCURRENT_STREAMS = 3;

export type HeaderList = readonly (readonly [string, string])[];

function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

/** An HPACK integer with a 7-bit prefix (RFC 7541, 5.1), as string lengths are sent. */
function hpackLength(value: number): Buffer {
  if (value < 0x7f) return Buffer.from([value]);
  const bytes = [0x7f];
  for (value -= 0x7f; value >= 0x80; value >>= 7) bytes.push((value & 0x7f) | 0x80);
  return Buffer.from([...bytes, value]);
}

/** Every field a "literal without indexing, new name" with plain (not Huffman) strings: no table state. */
function headerBlock(headers: HeaderList): Buffer {
  const text = (s: string) => [hpackLength(Buffer.byteLength(s)), Buffer.from(s)];
  return Buffer.concat(headers.flatMap(([name, value]) => [Buffer.from([0]), ...text(name), ...text(value)]));
}

/** A gRPC message's 5-byte prefix: not compressed, `length` bytes to follow. */
export function grpcPrefix(length: number): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(length, 1);
  return prefix;
}

/**
 * A client session that sends the preface and empty SETTINGS, acknowledges the server's SETTINGS
 * (nothing else: no pings answered, no flow control) and counts the frames the server sends. It is
 * open once that exchange is done, so the server's limits are in force for what it sends next.
 */
export class RawHttp2 {
  private readonly framesIn: Record<string, number> = {};
  /** SETTINGS_MAX_CONCURRENT_STREAMS as the server sent it; undefined: not sent (no limit). */
  private streamLimit: number | undefined;
  private readonly answered = new Map<number, () => void>();
  private settled = () => {};
  private nextStreamId = 1;
  private pending = Buffer.alloc(0);

  private constructor(readonly connection: RawConnection) {
    connection.onData((chunk) => this.read(chunk));
    connection.write(Buffer.concat([PREFACE, frame(SETTINGS, 0, 0)]));
  }

  static async open(address: string): Promise<RawHttp2> {
    const session = new RawHttp2(await RawConnection.open(address));
    const closed = session.connection.closed.then(() => Promise.reject(new Error(`${address} closed the connection before its SETTINGS`)));
    await Promise.race([new Promise<void>((resolve) => (session.settled = resolve)), closed]);
    return session;
  }

  /** Opens a stream: its headers, then `body` if any; ended only when `end`. Its id. */
  request(headers: HeaderList, body?: Buffer, end = false): number {
    const id = this.take();
    const flags = END_HEADERS | (end && !body ? END_STREAM : 0);
    this.connection.write(Buffer.concat([frame(HEADERS, flags, id, headerBlock(headers)), body ? frame(DATA, end ? END_STREAM : 0, id, body) : Buffer.alloc(0)]));
    return id;
  }

  /** Opens `count` such streams in one write, without waiting for the server's stream limit. */
  flood(count: number, headers: HeaderList, body: Buffer): void {
    const block = headerBlock(headers);
    const frames = Array.from({ length: count }, () => {
      const id = this.take();
      return [frame(HEADERS, END_HEADERS, id, block), frame(DATA, 0, id, body)];
    });
    this.connection.write(Buffer.concat(frames.flat()));
  }

  /**
   * Sends the first half of a stream's header block, no END_HEADERS: the server waits for the rest,
   * and no other frame may follow (this client sends none once its SETTINGS ACK is out).
   */
  partialHeaders(headers: HeaderList): void {
    const block = headerBlock(headers);
    this.connection.write(frame(HEADERS, 0, this.take(), block.subarray(0, block.length >> 1)));
  }

  /** Resolves once the server's answer headers for stream `id` have arrived. */
  answer(id: number): Promise<void> {
    return new Promise((resolve) => this.answered.set(id, resolve));
  }

  /** The server's stream limit and the frames it sent, e.g. `stream limit 136; SETTINGS 2, RST_STREAM 364`. */
  describe(): string {
    const frames = Object.entries(this.framesIn).map(([type, n]) => `${type} ${n}`).join(', ') || 'no frames';
    return `stream limit ${this.streamLimit ?? 'none'}; ${frames}`;
  }

  private take(): number {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    return id;
  }

  private settings(payload: Buffer): void {
    for (let offset = 0; offset + 6 <= payload.length; offset += 6) {
      if (payload.readUInt16BE(offset) === SETTINGS_MAX_CONCURRENT_STREAMS) this.streamLimit = payload.readUInt32BE(offset + 2);
    }
    this.connection.write(frame(SETTINGS, ACK, 0));
    this.settled();
  }

  private read(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= FRAME_HEADER_BYTES) {
      const length = this.pending.readUIntBE(0, 3);
      if (this.pending.length < FRAME_HEADER_BYTES + length) return;
      const [type, flags] = [this.pending[3], this.pending[4]];
      const streamId = this.pending.readUInt32BE(5) & 0x7fffffff;
      const payload = this.pending.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length);
      this.pending = this.pending.subarray(FRAME_HEADER_BYTES + length);
      const name = FRAME_TYPES[type] ?? `type ${type}`;
      this.framesIn[name] = (this.framesIn[name] ?? 0) + 1;
      if (type === SETTINGS && !(flags & ACK)) this.settings(payload);
      if (type === HEADERS) this.answered.get(streamId)?.();
    }
  }
}
