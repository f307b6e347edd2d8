import { credentials, Metadata, ServerCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import type { ClientSecurity, ServerSecurity } from '@imagepipeline/config';

/** The metadata key of the bearer token, as HTTP names the header. */
const AUTHORIZATION_KEY = 'authorization';

/**
 * A server's port credentials: TLS with its certificate when configured, and then, when a client CA
 * is configured too, a handshake that refuses any client without a certificate that CA signed
 * (mutual TLS); plain text otherwise.
 */
export function serverCredentials(tls: ServerSecurity['tls']): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const { cert, key, clientCa } = tls;
  return ServerCredentials.createSsl(clientCa ?? null, [{ cert_chain: cert, private_key: key }], clientCa !== undefined);
}

/**
 * A client's channel credentials: TLS when a CA is given, with the client's own certificate for
 * mutual TLS when one is; plain text otherwise. The name checked against the server's certificate
 * is the target's host: service certificates list their hosts (names and addresses) as SANs, so no
 * override is needed.
 */
export function channelCredentials({ ca, cert, key }: ClientSecurity = {}): ChannelCredentials {
  return ca ? credentials.createSsl(ca, key ?? null, cert ?? null) : credentials.createInsecure();
}

/**
 * Fresh metadata for one call, with `authorization: Bearer <token>` when there is a token. Sent
 * as metadata rather than call credentials: grpc-js refuses call credentials on a plain-text
 * channel, and a token without TLS is allowed (on a private network).
 */
export function callMetadata(token: string | undefined): Metadata {
  const metadata = new Metadata();
  if (token !== undefined) metadata.set(AUTHORIZATION_KEY, `Bearer ${token}`);
  return metadata;
}

/** The `authorization` value a call carried, if any. */
export function authorizationOf(metadata: Metadata): string | undefined {
  const [value] = metadata.get(AUTHORIZATION_KEY);
  return typeof value === 'string' ? value : undefined;
}
