// The slow and abusive clients, for each way a service is reached: HTTP/1.1 (the REST orchestrator),
// h2c (a REST stage with REST_STAGE_HTTP2) and gRPC. Each holds its connections until destroyed.
import type { ServiceName } from '@imagepipeline/config';
import { REST_ROUTES } from '@imagepipeline/contracts';
import { RawConnection } from './raw-connection';
import { grpcPrefix, RawHttp2, type HeaderList } from './raw-http2';

export type Wire = 'HTTP/1.1' | 'h2c' | 'gRPC';

/** A service as the clients reach it: how it speaks, and the image route they send to. */
export interface AbuseTarget {
  service: ServiceName;
  address: string;
  wire: Wire;
  path: string;
}

/** The server's timeouts the clients run into (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, IDLE_TIMEOUT_MS). */
export interface Timeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
}

/** Connections held open by an abuse, and what the server sent on them. */
export interface HeldAbuse {
  connections: RawConnection[];
  serverSent(): string;
}

export interface Abuse {
  id: string;
  /** Opens the connections and sends the bytes; resolves once they are in place. */
  start(): Promise<HeldAbuse>;
  /** When the server must have closed every connection, in ms after `start` resolved; absent where nothing is promised. */
  closeWindow?: { min: number; max: number };
  /** The HTTP/1.1 status the server must have answered on the (first) connection. */
  status?: number;
}

/** What a stalled upload announces: a photo of the usual size, nowhere near any limit, and far more than it sends. */
const ANNOUNCED_BYTES = 8 * 1024 * 1024;
const SENT_BYTES = 1024;
const FLOOD_SENT_BYTES = 64;
const TRICKLE_MS = 200;
const GRPC_HEALTH_CHECK = '/grpc.health.v1.Health/Check';
export const IDLE_SOCKETS = 200;
export const FLOOD_STREAMS = 500;
/**
 * Node looks for HTTP/1.1 requests past their timeouts once a second (rest-server.ts), and timers
 * on two busy cores run late: a close up to this much after its timeout is on time.
 */
const CLOSE_SLACK_MS = 2000;

export function abusesOf(target: AbuseTarget, timeouts: Timeouts): Abuse[] {
  return target.wire === 'HTTP/1.1' ? http1Abuses(target, timeouts) : http2Abuses(target, timeouts);
}

function http1Abuses(target: AbuseTarget, { headersMs, requestMs, idleMs }: Timeouts): Abuse[] {
  const byHeadersTimeout = { min: 0, max: headersMs + CLOSE_SLACK_MS };
  const multipart = '--b\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n';
  return [
    {
      id: `slow headers: a request line, then one header byte every ${TRICKLE_MS} ms, never finished`,
      start: async () => {
        const held = await http1(target.address, `POST ${target.path} HTTP/1.1\r\nHost: x\r\nX-Slow: `);
        const trickle = setInterval(() => held.connections[0].write('a'), TRICKLE_MS);
        void held.connections[0].closed.then(() => clearInterval(trickle));
        return held;
      },
      closeWindow: byHeadersTimeout,
      status: 408,
    },
    {
      id: `slow body: multipart headers announcing ${ANNOUNCED_BYTES} bytes, ${SENT_BYTES} of them, then nothing`,
      start: () =>
        http1(
          target.address,
          `POST ${target.path} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${ANNOUNCED_BYTES}\r\n\r\n` +
            multipart.padEnd(SENT_BYTES, 'x'),
        ),
      closeWindow: { min: 0, max: requestMs + CLOSE_SLACK_MS },
      status: 408,
    },
    {
      id: 'idle keep-alive: one GET /healthz answered, then nothing',
      start: async () => {
        const held = await http1(target.address, `GET ${REST_ROUTES.health} HTTP/1.1\r\nHost: x\r\n\r\n`);
        await new Promise<void>((answered) => held.connections[0].onData(() => answered()));
        return held;
      },
      closeWindow: idleWindow(idleMs, target.wire),
      status: 200,
    },
    manyIdleSockets(target, byHeadersTimeout, firstLine),
  ];
}

function http2Abuses(target: AbuseTarget, { idleMs }: Timeouts): Abuse[] {
  const grpc = target.wire === 'gRPC';
  const head = (method: string, path: string): HeaderList => [[':method', method], [':scheme', 'http'], [':authority', target.address], [':path', path]];
  // gRPC announces a message's length in its 5-byte prefix, h2c a body's in content-length.
  const grpcHeaders: HeaderList = [['content-type', 'application/grpc'], ['te', 'trailers']];
  const upload = [...head('POST', target.path), ...(grpc ? grpcHeaders : ([['content-type', 'image/jpeg'], ['content-length', String(ANNOUNCED_BYTES)]] as const))];
  const stalledBody = (sent: number) => Buffer.concat([grpc ? grpcPrefix(ANNOUNCED_BYTES) : Buffer.alloc(0), Buffer.alloc(sent, 0x78)]);
  const healthCheck = (session: RawHttp2) =>
    grpc ? session.request([...head('POST', GRPC_HEALTH_CHECK), ...grpcHeaders], grpcPrefix(0), true) : session.request(head('GET', REST_ROUTES.health), undefined, true);
  const byIdleTimeout = idleWindow(idleMs, target.wire);
  return [
    {
      id: 'slow headers: the preface, then half a HEADERS block, then nothing',
      start: () => http2(target.address, (session) => session.partialHeaders(upload)),
      closeWindow: byIdleTimeout,
    },
    {
      id: `slow body: a stream announcing ${ANNOUNCED_BYTES} bytes, ${SENT_BYTES} of them, then nothing`,
      start: () => http2(target.address, (session) => session.request(upload, stalledBody(SENT_BYTES))),
    },
    {
      id: `idle keep-alive: one ${grpc ? 'health Check' : 'GET /healthz'} answered, then nothing`,
      start: () => http2(target.address, (session) => session.answer(healthCheck(session))),
      closeWindow: byIdleTimeout,
    },
    manyIdleSockets(target, byIdleTimeout, (connection) => `${connection.received().length} bytes`),
    {
      id: `stream flood: ${FLOOD_STREAMS} streams at once on one connection, whatever its stream limit, each announcing ${ANNOUNCED_BYTES} bytes and sending ${FLOOD_SENT_BYTES}`,
      start: () => http2(target.address, (session) => session.flood(FLOOD_STREAMS, upload, stalledBody(FLOOD_SENT_BYTES))),
    },
  ];
}

/**
 * gRPC servers also close every connection after about this long (±10 %), calls or not
 * (`grpc.max_connection_age_ms`, fixed in libs/transport-grpc; README, "Replicas"): with the
 * default idle timeout, that close comes first.
 */
const GRPC_MAX_CONNECTION_AGE_MS = 30_000;

/**
 * Closed once idle for the timeout (over gRPC, or once the connection's age is up): not before it,
 * and within two idle timeouts plus the slack (grpc-js checks on a timer of that period started
 * with the connection, so a connection that went idle just after a check waits for the next but
 * one; Node's HTTP/1.1 server closes a second after the `Keep-Alive: timeout` it announced). Closes
 * are timed from when the abuse was in place, some time after its connections opened: hence half
 * the first possible close as the earliest.
 */
function idleWindow(idleMs: number, wire: Wire) {
  const firstClose = wire === 'gRPC' ? Math.min(idleMs, 0.9 * GRPC_MAX_CONNECTION_AGE_MS) : idleMs;
  return { min: firstClose / 2, max: 2 * idleMs + CLOSE_SLACK_MS };
}

function manyIdleSockets(target: AbuseTarget, closeWindow: Abuse['closeWindow'], describe: (connection: RawConnection) => string): Abuse {
  return {
    id: `many idle sockets: ${IDLE_SOCKETS} connections that send nothing`,
    start: async () => {
      const connections = await Promise.all(Array.from({ length: IDLE_SOCKETS }, () => RawConnection.open(target.address)));
      return { connections, serverSent: () => `first: ${describe(connections[0])}` };
    },
    closeWindow,
  };
}

async function http1(address: string, text: string): Promise<HeldAbuse> {
  const connection = await RawConnection.open(address);
  connection.write(text);
  return { connections: [connection], serverSent: () => firstLine(connection) };
}

async function http2(address: string, send: (session: RawHttp2) => unknown): Promise<HeldAbuse> {
  const session = await RawHttp2.open(address);
  await send(session);
  return { connections: [session.connection], serverSent: () => session.describe() };
}

function firstLine(connection: RawConnection): string {
  const text = connection.received();
  return text ? JSON.stringify(text.split('\r\n')[0]) : 'nothing';
}
