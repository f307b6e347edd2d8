import { streamsPerConnection, type ServerConfig } from '@imagepipeline/config';
import type { JobStore, Orchestrator } from '@imagepipeline/pipeline';
import type { AnyStageRuntime } from '@imagepipeline/stages';
import { createServiceLogger, serverAdmission } from '@imagepipeline/serving';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { callLogPlugin } from './call-log-plugin';
import { concurrencyGuardPlugin } from './concurrency-guard-plugin';
import { createH2cServer } from './h2c-server';
import { healthPlugin } from './health-plugin';
import { imageInputPlugin } from './image-input-plugin';
import { jobRoutesPlugin } from './job-routes-plugin';
import { metricsPlugin, type QueueSample } from './metrics-plugin';
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
 * `{ error, message }`, metrics, health, the serving core's admission, logger and call log, and
 * image input, all sized from `config` (body limits from `maxRequestBytes`, logs at `logLevel`,
 * timeouts and the connection bound from `connections`); HTTP/1.1, or h2c when `config.h2c`.
 */
export async function createRestServer(config: ServerConfig, parts: RestServerParts): Promise<FastifyInstance> {
  const maxImageBytes = config.maxRequestBytes;
  const { headersTimeoutMs, requestTimeoutMs, idleTimeoutMs, maxConnections } = config.connections;
  const common = {
    loggerInstance: createServiceLogger({ service: config.service, level: config.logLevel }) as FastifyBaseLogger,
    disableRequestLogging: true,
    bodyLimit: Math.ceil(maxImageBytes / 3) * 4 + JSON_ENVELOPE_BYTES,
    return503OnClosing: true,
  };
  // The plugins and routes use only what HTTP/1.1 and HTTP/2 requests and replies both offer, so
  // an h2c instance is handled with the default instance's type.
  const app = config.h2c
    ? (Fastify({
        ...common,
        http2: true,
        serverFactory: (handler) => createH2cServer(handler, { idleTimeoutMs, requestTimeoutMs, maxConnections, maxConcurrentStreams: streamsPerConnection(config) }),
        forceCloseConnections: false,
      }) as unknown as FastifyInstance)
    : Fastify({
        ...common,
        forceCloseConnections: 'idle',
        requestTimeout: requestTimeoutMs,
        keepAliveTimeout: idleTimeoutMs,
        http: { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS },
      });
  app.server.maxConnections = maxConnections;
  await app.register(callLogPlugin);
  await app.register(restErrorsPlugin, { maxImageBytes });
  await app.register(metricsPlugin, {
    service: config.service,
    queues: () => [app.concurrencyGuard.stats(), ...(parts.queues?.() ?? [])],
  });
  await app.register(healthPlugin, { service: config.service, isReady: parts.isReady });
  await app.register(imageInputPlugin, { maxImageBytes });
  await app.register(concurrencyGuardPlugin, { admission: serverAdmission(config) });
  return app;
}

/** A stage service's REST server (not listening yet): its one route plus the shared features. */
export async function buildStageRestServer(runtime: AnyStageRuntime, config: ServerConfig): Promise<FastifyInstance> {
  const app = await createRestServer(config, { isReady: () => runtime.isReady() });
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
    queues: () => orchestratorQueues(orchestrator),
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
  /** `http://host:port` (HTTP/1.1, or h2c with prior knowledge when the config says so). */
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
  return { app, port, url: `http://${host}:${port}`, close: () => app.close() };
}

/** The orchestrator's stage queues and its admission bound, as queue samples. */
function orchestratorQueues(orchestrator: Pick<Orchestrator, 'stats'>): QueueSample[] {
  const stats = orchestrator.stats();
  const admission: QueueSample = {
    name: 'pipeline',
    concurrency: stats.maxInFlightImages,
    capacity: 0,
    waiting: 0,
    running: stats.inFlightImages,
    rejected: stats.rejected,
  };
  return [admission, ...Object.values(stats.stages)];
}
