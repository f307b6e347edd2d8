import { Server, type ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { ServerConfig } from '@imagepipeline/config';
import {
  createServiceLogger,
  serverAdmission,
  ServiceMetrics,
  shutDownGracefully,
  startMetricsServer,
  type Closeable,
  type ShutdownPlan,
} from '@imagepipeline/serving';
import type { Logger } from 'pino';
import { CallGuard } from './call-guard';
import { grpcServerOptions } from './channel-options';
import { addReflection, HEALTH_SERVICE_NAME } from './reflection';
import type { GrpcServiceBinding } from './service-binding';
import { serverCredentials } from './transport-security';

/** What {@link startGrpcServer} serves and how. */
export interface GrpcServerOptions {
  /**
   * Name, address, message size limit, admission limits, connection limits, shutdown grace, log
   * level, and security (TLS, mutual TLS, bearer token).
   */
  config: Pick<
    ServerConfig,
    | 'service'
    | 'host'
    | 'port'
    | 'metricsPort'
    | 'maxRequestBytes'
    | 'maxResponseBytes'
    | 'maxConcurrent'
    | 'maxQueued'
    | 'shutdownGraceMs'
    | 'logLevel'
    | 'connections'
    | 'security'
  >;
  services: readonly GrpcServiceBinding[];
  /** Health turns SERVING when this resolves (e.g. a runtime's model is loaded); at once when absent. */
  ready?: Promise<void>;
  /** Closed in order once the server has stopped. */
  resources?: readonly Closeable[];
  /** The serving core's logger; by default one for `config.service` at `config.logLevel`. */
  logger?: Logger;
  /**
   * What the calls are recorded into (a stage's timings and the orchestrator's queues may report to
   * it too); by default a fresh registry. The server adds its admission queue, and serves it on
   * `config.metricsPort` when that is set.
   */
  metrics?: ServiceMetrics;
}

/** A listening server. */
export interface RunningGrpcServer {
  /** The bound port: the real one when `config.port` was 0. */
  readonly port: number;
  /** `host:port` as bound. */
  readonly address: string;
  /** The bound port of `GET /metrics`; undefined when `config.metricsPort` is. */
  readonly metricsPort?: number;
  readonly health: HealthImplementation;
  /** What a graceful shutdown of this server stops (the serving core's plan, without its logger). */
  readonly stops: Omit<ShutdownPlan, 'logger'>;
  /**
   * Graceful stop, once however often called: health NOT_SERVING, no new calls, in-flight calls
   * finish (cancelled after `shutdownGraceMs`), then `resources` close.
   */
  close(): Promise<void>;
}

/**
 * Starts a gRPC server with the house's standard parts: the given services behind the serving
 * core's admission (`maxConcurrent` running, `maxQueued` waiting, then RESOURCE_EXHAUSTED with a
 * retry-after) and the bearer token check before it, `grpc.health.v1` (NOT_SERVING until `ready`),
 * server reflection, explicit message limits and keepalive, and the serving core's metrics on
 * `config.metricsPort`. Listens on `config.host:config.port` (port 0 picks a free one, for tests),
 * over TLS when `config.security.tls` is set.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { config, services, resources = [] } = options;
  const logger = options.logger ?? createServiceLogger({ service: config.service, level: config.logLevel });
  const server = new Server(grpcServerOptions(config));
  const serviceNames = services.map((service) => service.serviceName);

  const health = new HealthImplementation();
  const setHealth = (status: ServingStatus) => {
    for (const name of ['', ...serviceNames]) health.setStatus(name, status);
  };
  setHealth('NOT_SERVING');
  // Health and reflection are not behind the guard, so they need no token: probes must reach
  // health, and reflection serves only the public schema. (Mutual TLS still applies: it is the port's.)
  health.addToServer(server);
  addReflection(server, [...serviceNames, HEALTH_SERVICE_NAME]);
  const admission = serverAdmission(config);
  const metrics = options.metrics ?? new ServiceMetrics({ service: config.service, protocol: 'grpc' });
  metrics.reportQueues(() => [admission.stats()]);
  const guard = new CallGuard(admission, logger, metrics, config.security.token);
  for (const service of services) service.addToServer(server, guard);

  const port = await bind(server, hostPort(config.host, config.port), serverCredentials(config.security.tls));
  const metricsServer = await startGrpcMetrics(config, metrics).catch((error: unknown) => {
    server.forceShutdown();
    throw error;
  });
  if (metricsServer) logger.info({ port: metricsServer.port }, 'metrics at GET /metrics');
  let stopping = false;
  (options.ready ?? Promise.resolve()).then(
    () => {
      if (!stopping) setHealth('SERVING');
    },
    (error: unknown) => logger.error({ err: error }, 'not ready'),
  );

  const stops: Omit<ShutdownPlan, 'logger'> = {
    graceMs: config.shutdownGraceMs,
    resources: [{ close: () => admission.close() }, ...resources, ...(metricsServer ? [metricsServer] : [])],
    transport: {
      stopAdmitting: () => {
        stopping = true;
        setHealth('NOT_SERVING');
      },
      close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
      cut: () => server.forceShutdown(),
    },
  };
  let closing: Promise<void> | undefined;
  return {
    port,
    address: hostPort(config.host, port),
    metricsPort: metricsServer?.port,
    health,
    stops,
    close: () => (closing ??= shutDownGracefully({ ...stops, logger })),
  };
}

/** The metrics port, with the service's own host, TLS and token; none when `metricsPort` is unset. */
function startGrpcMetrics(config: GrpcServerOptions['config'], metrics: ServiceMetrics) {
  if (config.metricsPort === undefined) return Promise.resolve(undefined);
  return startMetricsServer({
    metrics,
    host: config.host,
    port: config.metricsPort,
    service: config.service,
    security: config.security,
    handshakeTimeoutMs: config.connections.headersTimeoutMs,
  });
}

function bind(server: Server, address: string, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port)));
  });
}

function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
