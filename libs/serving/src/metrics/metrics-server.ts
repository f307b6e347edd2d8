import type { ServerSecurity } from '@imagepipeline/config';
import { PipelineErrorCode } from '@imagepipeline/contracts';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { bearerTokenRefusal } from '../bearer-token';
import { serverTlsOptions } from '../server-tls';
import type { ServiceMetrics } from './service-metrics';

/** Where and how a metrics port listens. */
export interface MetricsServerOptions {
  metrics: ServiceMetrics;
  host: string;
  /** 0 picks a free port (for tests). */
  port: number;
  /** Names the realm of a 401's `WWW-Authenticate`. */
  service: string;
  /** The service's own TLS and token: the metrics port asks the same of a scraper as the service does of a caller. */
  security: ServerSecurity;
  /** How long a TLS handshake may take. */
  handshakeTimeoutMs: number;
}

/** A listening metrics port; `close()` stops it (idle connections at once). */
export interface RunningMetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

const METRICS_PATH = '/metrics';

/**
 * A small HTTP server for a service whose own port does not speak HTTP (gRPC): `GET /metrics`
 * answers the scrape, anything else 404. Over TLS (and mutual TLS) when the service has it, and
 * with the service's bearer token required when it has one, as REST's `/metrics` does.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<RunningMetricsServer> {
  const { tls, token } = options.security;
  const handle = (request: IncomingMessage, response: ServerResponse) => void answer(options, token, request, response);
  const server: Server = tls ? createHttpsServer(serverTlsOptions(tls, options.handshakeTimeoutMs), handle) : createHttpServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function answer(options: MetricsServerOptions, token: string | undefined, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://metrics').pathname;
  if (path !== METRICS_PATH) return send(response, 404, { error: PipelineErrorCode.NOT_FOUND, message: `${path} not found: only GET ${METRICS_PATH}` });
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(response, 405, { error: PipelineErrorCode.INVALID_ARGUMENT, message: `${METRICS_PATH} answers GET` });
  }
  const refusal = bearerTokenRefusal(token, request.headers.authorization);
  if (refusal) {
    const unauthenticated = refusal.code === PipelineErrorCode.UNAUTHENTICATED;
    if (unauthenticated) response.setHeader('www-authenticate', `Bearer realm="${options.service}"`);
    return send(response, unauthenticated ? 401 : 403, { error: refusal.code, message: refusal.message });
  }
  try {
    const text = await options.metrics.scrape();
    response.writeHead(200, { 'content-type': options.metrics.contentType }).end(request.method === 'HEAD' ? undefined : text);
  } catch (error) {
    send(response, 500, { error: PipelineErrorCode.INTERNAL, message: `collecting metrics failed: ${(error as Error).message}` });
  }
}

function send(response: ServerResponse, status: number, body: { error: string; message: string }): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
