import { streamsPerConnection, type ServerConfig } from '@imagepipeline/config';
import type { JobStore, Orchestrator } from '@imagepipeline/pipeline';
import type { AnyStageRuntime } from '@imagepipeline/stages';
import { createServiceLogger, orchestratorQueues, serverAdmission, serverTlsOptions, ServiceMetrics, type QueueSample } from '@imagepipeline/serving';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Http2Server } from 'node:http2';
import { Server as TlsServer } from 'node:tls';
import { bearerTokenPlugin } from './bearer-token-plugin';
import { callLogPlugin } from './call-log-plugin';
import { concurrencyGuardPlugin } from './concurrency-guard-plugin';
import { healthPlugin } from './health-plugin';
import { createHttp2Server } from './http2-server';
import { imageInputPlugin } from './image-input-plugin';
import { jobRoutesPlugin } from './job-routes-plugin';
import { metricsPlugin } from './metrics-plugin';
import { pipelineRoutesPlugin } from './pipeline-routes-plugin';
import { restErrorsPlugin } from './rest-errors-plugin';
import { stageRoutesPlugin } from './stage-routes-plugin';

/** What the server fronts, as the shared plugins need it. */
export interface RestServerParts {
  /** `/readyz` answers 200 while this is true. */
  isReady: () => boolean;
  /** Extra queues reported by `/metrics` (the guard's own is always reported). */
  queues?: () => Iterable<QueueSample>;
}

/** Room for the JSON around a base64 image (4 characters for every 3 bytes). */
const JSON_ENVELOPE_BYTES = 64 * 1024;

/** How often Node looks for requests past their headers or request timeout (its default: 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * A Fastify server with the shared REST features and no routes of its own yet: errors as
 * `{ error, message }`, metrics, health, the bearer token, the serving core's admission, logger and
 * call log, and image input, all sized from `config` (body limits from `maxRequestBytes`, logs at
 * `logLevel`, timeouts and the connection bound from `connections`, TLS and token from `security`);
 * HTTP/1.1, or HTTP/2 only when `config.h2c` (h2c, or h2 over TLS); TLS when `security.tls`.
 */
export async function createRestServer(config: ServerConfig, parts: RestServerParts): Promise<FastifyInstance> {
  const maxImageBytes = config.maxRequestBytes;
  const { headersTimeoutMs, requestTimeoutMs, idleTimeoutMs, maxConnections } = config.connections;
  const tls = config.security.tls && serverTlsOptions(config.security.tls, headersTimeoutMs);
  const common = {
    loggerInstance: createServiceLogger({ service: config.service, level: config.logLevel }) as FastifyBaseLogger,
    disableRequestLogging: true,
    bodyLimit: Math.ceil(maxImageBytes / 3) * 4 + JSON_ENVELOPE_BYTES,
    return503OnClosing: true,
  };
  const http1Timeouts = { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS };
  // The plugins and routes use only what HTTP/1.1 and HTTP/2 requests and replies both offer, so
  // an HTTP/2 instance is handled with the default instance's type; h2c and h2 over TLS give them
  // the same requests and replies, so the factory's server is typed as h2c's.
  const app = config.h2c
    ? (Fastify({
        ...common,
        http2: true,
        serverFactory: (handler) =>
          createHttp2Server(handler, { idleTimeoutMs, requestTimeoutMs, maxConnections, maxConcurrentStreams: streamsPerConnection(config) }, tls) as Http2Server,
        forceCloseConnections: false,
        // Fastify reads it only to write https:// in its address line: the factory makes the server.
        ...(tls && { https: true }),
      }) as unknown as FastifyInstance)
    : Fastify({
        ...common,
        forceCloseConnections: 'idle',
        requestTimeout: requestTimeoutMs,
        keepAliveTimeout: idleTimeoutMs,
        // Fastify passes `http` to a plain server only: an HTTPS one takes the timeouts with its TLS options.
        ...(tls ? { https: { ...tls, ...http1Timeouts } } : { http: http1Timeouts }),
      });
  app.server.maxConnections = maxConnections;
  // A handshake that fails (no client certificate, plain text, a timeout) never becomes a request
  // with a call log line; logged here, at debug so that a scanner cannot flood the log. (Node closes
  // a connection whose certificate is from another CA or expired without this event.)
  if (tls) {
    app.server.on('tlsClientError', (error: Error, socket: { remoteAddress?: string }) =>
      app.log.debug({ peer: socket.remoteAddress, error: error.message }, 'TLS handshake refused'),
    );
  }
  await app.register(callLogPlugin);
  await app.register(restErrorsPlugin, { maxImageBytes });
  const metrics = new ServiceMetrics({ service: config.service, protocol: 'rest' });
  metrics.reportQueues(() => [app.concurrencyGuard.stats(), ...(parts.queues?.() ?? [])]);
  await app.register(metricsPlugin, { metrics });
  await app.register(healthPlugin, { service: config.service, isReady: parts.isReady });
  await app.register(imageInputPlugin, { maxImageBytes });
  await app.register(bearerTokenPlugin, { service: config.service, token: config.security.token });
  await app.register(concurrencyGuardPlugin, { admission: serverAdmission(config) });
  return app;
}

/**
 * A stage service's REST server (not listening yet): its one route plus the shared features, its
 * compute and inference times in the metrics.
 */
export async function buildStageRestServer(runtime: AnyStageRuntime, config: ServerConfig): Promise<FastifyInstance> {
  const app = await createRestServer(config, { isReady: () => runtime.isReady() });
  runtime.observeTimings?.(app.metrics);
  await app.register(stageRoutesPlugin, { runtime });
  await app.ready();
  return app;
}

/** The orchestrator's REST server (not listening yet): `/v1/pipeline` and `/v1/jobs`. */
export async function buildOrchestratorRestServer(
  orchestrator: Pick<Orchestrator, 'process' | 'stats'>,
  jobs: Pick<JobStore, 'submit' | 'get'>,
  config: ServerConfig,
): Promise<FastifyInstance> {
  const app = await createRestServer(config, {
    isReady: () => true,
    queues: () => orchestratorQueues(orchestrator.stats()),
  });
  await app.register(pipelineRoutesPlugin, { orchestrator });
  await app.register(jobRoutesPlugin, { jobs });
  await app.ready();
  return app;
}

/** A listening server. */
export interface RunningRestServer {
  app: FastifyInstance;
  port: number;
  /** `http://host:port`, or `https://` over TLS (HTTP/1.1, or HTTP/2 with no fallback when the config says so). */
  url: string;
  close(): Promise<void>;
}

/** Listens (port 0: any free port) and answers where. */
export async function startRestServer(
  app: FastifyInstance,
  listen: { host: string; port: number },
): Promise<RunningRestServer> {
  await app.listen({ host: listen.host, port: listen.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const scheme = app.server instanceof TlsServer ? 'https' : 'http';
  return { app, port, url: `${scheme}://${host}:${port}`, close: () => app.close() };
}
