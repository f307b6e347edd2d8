import type { ClientSecurity } from '@imagepipeline/config';
import http from 'node:http';
import https from 'node:https';

/** `https` when the client checks servers against a CA (TLS), else `http`. */
export function schemeOf(security: ClientSecurity = {}): 'http' | 'https' {
  return security.ca ? 'https' : 'http';
}

/** The TLS options of every connection: the CA servers are checked against, and the client's own certificate for mutual TLS. */
export function clientTlsOptions(security: ClientSecurity = {}): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  return { ca: security.ca, cert: security.cert, key: security.key };
}

/** `authorization: Bearer <token>` when the client has a token, for every request it sends. */
export function bearerTokenHeader(security: ClientSecurity = {}): Record<string, string> {
  return security.token === undefined ? {} : { authorization: `Bearer ${security.token}` };
}

/** A keep-alive connection pool for HTTP/1.1: node:https with the TLS options when the client speaks TLS. */
export function keepAliveAgent(security: ClientSecurity = {}): http.Agent {
  return schemeOf(security) === 'https' ? new https.Agent({ keepAlive: true, ...clientTlsOptions(security) }) : new http.Agent({ keepAlive: true });
}
