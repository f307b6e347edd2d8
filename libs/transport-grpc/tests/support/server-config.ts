import { DEFAULT_CONNECTION_LIMITS, type ServerConfig } from '@imagepipeline/config';
import type { GrpcServerOptions } from '../../src/grpc-server';

/** A quiet server on a free loopback port; override what a test is about. */
export function testServerConfig(overrides: Partial<ServerConfig> = {}): GrpcServerOptions['config'] {
  return {
    service: 'classifier',
    host: '127.0.0.1',
    port: 0,
    maxRequestBytes: 16 * 1024 * 1024,
    maxResponseBytes: 16 * 1024 * 1024,
    maxConcurrent: 8,
    maxQueued: 8,
    shutdownGraceMs: 2_000,
    logLevel: 'silent',
    connections: DEFAULT_CONNECTION_LIMITS,
    security: {},
    ...overrides,
  };
}

/** A promise with its resolve, to hold a fake's work until a test releases it. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
