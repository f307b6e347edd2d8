import type { ServerSecurity } from '@imagepipeline/config';
import type { TlsOptions } from 'node:tls';

/**
 * A TLS server's options from its certificate and key. With a client CA, mutual TLS: a client must
 * present a certificate that CA signed and that is valid now, or the handshake fails (the client
 * gets a TLS alert, never an HTTP answer). A handshake must end within `handshakeTimeoutMs` (the
 * headers timeout: it comes before the headers), not Node's default 120 s.
 */
export function serverTlsOptions(tls: NonNullable<ServerSecurity['tls']>, handshakeTimeoutMs: number): TlsOptions {
  const mutual = tls.clientCa !== undefined;
  return { cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: mutual, rejectUnauthorized: mutual, handshakeTimeout: handshakeTimeoutMs };
}
