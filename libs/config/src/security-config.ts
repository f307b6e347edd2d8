import type { EnvReader } from './env-reader';

/**
 * What a server requires of its callers, from files the environment names (read once, at start-up:
 * a renewed certificate or token takes effect when the service restarts).
 */
export interface ServerSecurity {
  /** TLS on the service's port: `TLS_CERT_FILE` (PEM chain) and `TLS_KEY_FILE` (PEM key). */
  tls?: {
    cert: Buffer;
    key: Buffer;
    /** `TLS_CLIENT_CA_FILE` (PEM): callers must present a certificate this CA signed (mutual TLS). */
    clientCa?: Buffer;
  };
  /**
   * `AUTH_TOKEN_FILE`: the bearer token every call must carry (`authorization: Bearer <token>`),
   * checked before admission; health and readiness are exempt.
   */
  token?: string;
}

/** How a client reaches servers that require {@link ServerSecurity}. */
export interface ClientSecurity {
  /** PEM CA bundle that signed the servers' certificates: the client speaks TLS when it is set. */
  ca?: Buffer;
  /** The client's own PEM certificate and key, for servers that require mutual TLS. */
  cert?: Buffer;
  key?: Buffer;
  /** The bearer token sent with every call. */
  token?: string;
}

/** A service's own TLS and token (`TLS_CERT_FILE`, `TLS_KEY_FILE`, `TLS_CLIENT_CA_FILE`, `AUTH_TOKEN_FILE`). */
export function readServerSecurity(read: EnvReader): ServerSecurity {
  const { cert, key } = readCertificateAndKey(read, 'TLS_CERT_FILE', 'TLS_KEY_FILE');
  const clientCa = read.optionalFile('TLS_CLIENT_CA_FILE');
  if (clientCa && !cert) read.require('TLS_CLIENT_CA_FILE', 'TLS_CERT_FILE and TLS_KEY_FILE too (mutual TLS needs TLS)');
  return { tls: cert && key ? { cert, key, clientCa } : undefined, token: readToken(read, 'AUTH_TOKEN_FILE') };
}

/**
 * How the orchestrator reaches its stages: `STAGE_TLS_CA_FILE` (TLS on), `STAGE_TLS_CERT_FILE` and
 * `STAGE_TLS_KEY_FILE` (its client certificate), `STAGE_AUTH_TOKEN_FILE` (the token it sends).
 */
export function readStageClientSecurity(read: EnvReader): ClientSecurity {
  const { cert, key } = readCertificateAndKey(read, 'STAGE_TLS_CERT_FILE', 'STAGE_TLS_KEY_FILE');
  const ca = read.optionalFile('STAGE_TLS_CA_FILE');
  if (cert && !ca) read.require('STAGE_TLS_CERT_FILE', 'STAGE_TLS_CA_FILE too (a client certificate is only sent over TLS)');
  return { ca, cert, key, token: readToken(read, 'STAGE_AUTH_TOKEN_FILE') };
}

/** A PEM certificate and its key: both variables set, or neither. */
function readCertificateAndKey(read: EnvReader, certName: string, keyName: string): { cert?: Buffer; key?: Buffer } {
  const cert = read.optionalFile(certName);
  const key = read.optionalFile(keyName);
  if ((cert === undefined) !== (key === undefined)) read.require(`${certName} and ${keyName}`, 'both set, or neither');
  return { cert, key };
}

/** What a token file must hold, for the message when it does not. */
export const TOKEN_FILE_RULE = 'a file whose first line is a token of at least 16 visible ASCII characters';

/** The token in a token file: its first line, trimmed; undefined unless it is visible ASCII (a header value) of 16 characters or more. */
export function tokenFromFile(contents: Buffer): string | undefined {
  const token = contents.toString('utf8').split(/\r?\n/)[0]?.trim() ?? '';
  return /^[\x21-\x7e]{16,}$/.test(token) ? token : undefined;
}

function readToken(read: EnvReader, name: string): string | undefined {
  const contents = read.optionalFile(name);
  if (contents === undefined) return undefined;
  return tokenFromFile(contents) ?? read.require(name, TOKEN_FILE_RULE);
}
