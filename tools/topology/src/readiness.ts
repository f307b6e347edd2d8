import { credentials, makeGenericClientConstructor, type CallOptions, type Client, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { Protocol } from '@imagepipeline/config';
import http2 from 'node:http2';

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

/** One readiness probe: gRPC health `Check` reports SERVING, or REST `/readyz` answers 200 (HTTP/1.1 or h2c). */
export async function isReady(protocol: Protocol, address: string): Promise<boolean> {
  return protocol === 'grpc' ? grpcServing(address) : restReady(address);
}

/** Polls until the service is ready; throws after `timeoutMs` naming the service and address. */
export async function waitUntilReady(protocol: Protocol, address: string, timeoutMs: number, label = address): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isReady(protocol, address)) return;
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

function grpcServing(address: string): Promise<boolean> {
  const client = new HealthClient(address, credentials.createInsecure()) as unknown as HealthCheckClient;
  return new Promise((resolve) => {
    client.Check({ service: '' }, { deadline: Date.now() + 1000 }, (error, response) => {
      client.close();
      resolve(!error && response?.status === 'SERVING');
    });
  });
}

/** `/readyz` over HTTP/1.1, or over h2c when the server did not speak HTTP/1.1 (`REST_STAGE_HTTP2`). */
async function restReady(address: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${address}/readyz`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch (error) {
    return !refused(error) && h2cReady(address);
  }
}

function refused(error: unknown): boolean {
  return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
}

function h2cReady(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const session = http2.connect(`http://${address}`);
    session.on('error', () => resolve(false));
    const request = session.request({ ':path': '/readyz' }, { signal: AbortSignal.timeout(1000) });
    request.on('response', (headers) => resolve(headers[':status'] === 200));
    request.on('error', () => resolve(false));
    request.on('close', () => {
      session.close();
      resolve(false);
    });
    request.resume();
  });
}
