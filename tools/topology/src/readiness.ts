import { credentials, makeGenericClientConstructor, status, type CallOptions, type Client, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { ClientSecurity, Protocol } from '@imagepipeline/config';
import https from 'node:https';
import http2 from 'node:http2';

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

/** How long one probe waits for an answer. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * What one probe learnt: `ready`, `not-ready` (it answered so, or refused the connection), or
 * `no-answer` within a second (a service busy in synchronous work may simply not have looked yet).
 */
export type Readiness = 'ready' | 'not-ready' | 'no-answer';

/**
 * One readiness probe: gRPC health `Check` reports SERVING, or REST `/readyz` answers 200 (HTTP/1.1
 * or HTTP/2); over TLS when `security` has a CA, with its client certificate for mutual TLS (health
 * and readiness need no token).
 */
export async function readinessOf(protocol: Protocol, address: string, security: ClientSecurity = {}): Promise<Readiness> {
  return protocol === 'grpc' ? grpcServing(address, security) : restReady(address, security);
}

export async function isReady(protocol: Protocol, address: string, security?: ClientSecurity): Promise<boolean> {
  return (await readinessOf(protocol, address, security)) === 'ready';
}

/** Polls until the service is ready; throws after `timeoutMs` naming the service and address. */
export async function waitUntilReady(protocol: Protocol, address: string, timeoutMs: number, label = address, security?: ClientSecurity): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isReady(protocol, address, security)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${label} (${protocol} at ${address}) was not ready within ${timeoutMs} ms`);
}

/** The one method of the generic health client used here. */
type HealthCheckClient = Client & {
  Check(
    request: { service: string },
    options: CallOptions,
    callback: (error: ServiceError | null, response?: { status: string }) => void,
  ): void;
};

function grpcServing(address: string, { ca, key, cert }: ClientSecurity): Promise<Readiness> {
  const channel = ca ? credentials.createSsl(ca, key ?? null, cert ?? null) : credentials.createInsecure();
  const client = new HealthClient(address, channel) as unknown as HealthCheckClient;
  return new Promise((resolve) => {
    client.Check({ service: '' }, { deadline: Date.now() + PROBE_TIMEOUT_MS }, (error, response) => {
      client.close();
      if (error?.code === status.DEADLINE_EXCEEDED) resolve('no-answer');
      else resolve(!error && response?.status === 'SERVING' ? 'ready' : 'not-ready');
    });
  });
}

/** `/readyz` over HTTP/1.1, or over HTTP/2 when the server did not speak HTTP/1.1 (`REST_STAGE_HTTP2`). */
async function restReady(address: string, security: ClientSecurity): Promise<Readiness> {
  if (security.ca) return httpsReady(address, security);
  try {
    const response = await fetch(`http://${address}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.ok ? 'ready' : 'not-ready';
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return 'no-answer';
    return refused(error) ? 'not-ready' : h2Ready(`http://${address}`, {});
  }
}

/** `/readyz` over HTTPS, or over HTTP/2 with TLS when the server did not speak HTTP/1.1. */
function httpsReady(address: string, { ca, key, cert }: ClientSecurity): Promise<Readiness> {
  return new Promise((resolve) => {
    const request = https.get(`https://${address}/readyz`, { ca, key, cert, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 ? 'ready' : 'not-ready');
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('probe timed out'), { name: 'TimeoutError' })));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'TimeoutError') resolve('no-answer');
      else if (error.code === 'ECONNREFUSED') resolve('not-ready');
      else void h2Ready(`https://${address}`, { ca, key, cert }).then(resolve);
    });
  });
}

function refused(error: unknown): boolean {
  return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
}

function h2Ready(origin: string, tls: Pick<ClientSecurity, 'ca' | 'key' | 'cert'>): Promise<Readiness> {
  return new Promise((resolve) => {
    const session = http2.connect(origin, tls);
    session.on('error', () => resolve('not-ready'));
    const request = session.request({ ':path': '/readyz' }, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    request.on('response', (headers) => resolve(headers[':status'] === 200 ? 'ready' : 'not-ready'));
    request.on('error', (error) => resolve(error.name === 'AbortError' ? 'no-answer' : 'not-ready'));
    request.on('close', () => {
      session.close();
      resolve('not-ready');
    });
    request.resume();
  });
}
