import type { Protocol } from '@imagepipeline/config';
import type { RunRecord } from '../run-record';

/**
 * How an echo stage is secured: plain text; TLS with the server's certificate only; or mutual TLS
 * with a bearer token on every call, which is what `npm start -- --tls` runs.
 */
export const SECURITY_SETTINGS = ['plain', 'tls', 'mtls'] as const;
export type SecuritySetting = (typeof SECURITY_SETTINGS)[number];

export const SECURITY_LABELS: Record<SecuritySetting, string> = { plain: 'plain', tls: 'TLS', mtls: 'mutual TLS + token' };

/** The settings timed per hop on kept-alive connections: plain against the full one. */
export const KEPT_ALIVE_SETTINGS: readonly SecuritySetting[] = ['plain', 'mtls'];

/** The protocols compared, by how the reports name them: gRPC, and REST binary over HTTP/1.1. */
export const TLS_PROTOCOLS: readonly Protocol[] = ['grpc', 'rest'];
export const TLS_PROTOCOL_TITLES: Record<Protocol, string> = { grpc: 'gRPC', rest: 'REST binary' };

/** One call on a client whose connection is already open. */
export interface KeptAliveSample {
  protocol: Protocol;
  security: SecuritySetting;
  payload: string;
  megapixels: number;
  payloadBytes: number;
  rep: number;
  /** The call as the client saw it (the echo stage's compute, ≈ 0, included). */
  ms: number;
  /** CPU time of the calling process and of the echo stage's process during the call, all threads. */
  clientCpuMs: number;
  serverCpuMs: number;
  error?: string;
}

/** A new client (a new connection) and two small calls on it: the first opens the connection. */
export interface HandshakeSample {
  protocol: Protocol;
  security: SecuritySetting;
  rep: number;
  firstMs: number;
  secondMs: number;
  error?: string;
}

/** What the handshake negotiated, as a raw `tls.connect` to each protocol's TLS echo stage saw it. */
export interface NegotiatedTls {
  protocol: Protocol;
  version: string;
  cipher: string;
  alpn: string;
  /** The server certificate's key, e.g. RSA 2048. */
  serverKey: string;
}

/** Everything a `benchmark:tls` run records (`raw.json`), and the report's input. */
export interface TlsBenchmarkRaw extends RunRecord {
  quick: boolean;
  warmups: number;
  repetitions: number;
  handshakes: number;
  negotiated: NegotiatedTls[];
  keptAlive: KeptAliveSample[];
  handshake: HandshakeSample[];
}
