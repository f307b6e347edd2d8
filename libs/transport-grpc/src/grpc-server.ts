import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { ServerConfig } from '@imagepipeline/config';
import { CallGuard } from './call-guard';
import { grpcServerOptions } from './channel-options';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { createJsonLogger, type JsonLogger } from './json-logger';
import { addReflection, HEALTH_SERVICE_NAME } from './reflection';
import type { GrpcServiceBinding } from './service-binding';

/** Anything the server owns and closes after its last call: a stage runtime, an orchestrator, a client. */
export interface Closeable {
  close(): Promise<void>;
}

/** What {@link startGrpcServer} serves and how. */
export interface GrpcServerOptions {
  /** Address, message size limit, admission limits, connection limits, shutdown grace and log level. */
  config: Pick<ServerConfig, 'host' | 'port' | 'maxRequestBytes' | 'maxResponseBytes' | 'maxConcurrent' | 'maxQueued' | 'shutdownGraceMs' | 'logLevel' | 'connections'>;
  services: readonly GrpcServiceBinding[];
  /** Health turns SERVING when this resolves (e.g. a runtime's model is loaded); at once when absent. */
  ready?: Promise<void>;
  /** Closed in order once the server has stopped. */
  resources?: readonly Closeable[];
  /** One JSON line per call; by default to standard output at `config.logLevel`. */
  logger?: JsonLogger;
}

/** A listening server. */
export interface RunningGrpcServer {
  /** The bound port: the real one when `config.port` was 0. */
  readonly port: number;
  /** `host:port` as bound. */
  readonly address: string;
  readonly health: HealthImplementation;
  /**
   * Graceful stop, once however often called: health NOT_SERVING, no new calls, in-flight calls
   * finish (cancelled after `shutdownGraceMs`), then `resources` close.
   */
  close(): Promise<void>;
}

/**
 * Starts a gRPC server with the house's standard parts: the given services behind one admission
 * guard (`maxConcurrent` running, `maxQueued` waiting, then RESOURCE_EXHAUSTED), `grpc.health.v1`
 * (NOT_SERVING until `ready`), server reflection, explicit message limits and keepalive.
 * Listens on `config.host:config.port` (port 0 picks a free one, for tests).
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { config, services, resources = [] } = options;
  const logger = options.logger ?? createJsonLogger({ level: config.logLevel });
  const server = new Server(grpcServerOptions(config));
  const serviceNames = services.map((service) => service.serviceName);

  const health = new HealthImplementation();
  const setHealth = (status: ServingStatus) => {
    for (const name of ['', ...serviceNames]) health.setStatus(name, status);
  };
  setHealth('NOT_SERVING');
  health.addToServer(server);
  addReflection(server, [...serviceNames, HEALTH_SERVICE_NAME]);
  // Waiting calls hold their messages: at most two of the largest a server takes.
  const guard = new CallGuard(new ConcurrencyLimiter({ ...config, maxQueuedBytes: 2 * config.maxRequestBytes }), logger);
  for (const service of services) service.addToServer(server, guard);

  const port = await bind(server, hostPort(config.host, config.port));
  let closing: Promise<void> | undefined;
  (options.ready ?? Promise.resolve()).then(
    () => {
      if (!closing) setHealth('SERVING');
    },
    (error: unknown) => logger.error('not ready', { error: error instanceof Error ? error.message : String(error) }),
  );

  const close = async () => {
    setHealth('NOT_SERVING');
    await drain(server, config.shutdownGraceMs, logger);
    for (const resource of resources) {
      await resource.close().catch((error: unknown) => logger.error('close failed', { error: String(error) }));
    }
  };
  return {
    port,
    address: hostPort(config.host, port),
    health,
    close: () => (closing ??= close()),
  };
}

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
}

/** Waits for in-flight calls to finish, cancelling whatever still runs after `graceMs`. */
function drain(server: Server, graceMs: number, logger: JsonLogger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn('shutdown grace passed; cancelling the calls still running', { graceMs });
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
