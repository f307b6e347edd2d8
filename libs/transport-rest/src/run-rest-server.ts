import type { ServerConfig } from '@imagepipeline/config';
import type { JobStore, Orchestrator } from '@imagepipeline/pipeline';
import { runService, type Closeable, type Drainable, type RunningService, type RunServiceOptions, type ServingTransport } from '@imagepipeline/serving';
import type { AnyStageRuntime } from '@imagepipeline/stages';
import type { FastifyInstance } from 'fastify';
import { isTrackedHttp2Server } from './http2-server';
import { buildOrchestratorRestServer, buildStageRestServer, startRestServer, type RunningRestServer } from './rest-server';

export interface RunOptions extends Pick<RunServiceOptions<unknown>, 'signals' | 'exit'> {
  /** More resources to close after the server, in order (e.g. the stage client). */
  alsoClose?: readonly Closeable[];
}

/** A REST service under the serving core's lifecycle. */
export type RunningRestService = RunningService<RunningRestServer>;

/** Runs a stage service's REST server until SIGTERM/SIGINT; owns and closes `runtime`; exits 1 when its model cannot load. */
export async function runStageRestServer(runtime: AnyStageRuntime, config: ServerConfig, options: RunOptions = {}): Promise<RunningRestService> {
  const app = await buildStageRestServer(runtime, config);
  return runRestServer(app, config, options, { ready: runtime.ready, resources: [runtime] });
}

/** Runs the orchestrator's REST server until SIGTERM/SIGINT; owns and closes the job store and orchestrator; accepted jobs drain first. */
export async function runOrchestratorRestServer(
  orchestrator: Orchestrator,
  jobs: JobStore,
  config: ServerConfig,
  options: RunOptions = {},
): Promise<RunningRestService> {
  const app = await buildOrchestratorRestServer(orchestrator, jobs, config);
  return runRestServer(app, config, options, { resources: [jobs, orchestrator], drains: [jobs] });
}

function runRestServer(
  app: FastifyInstance,
  config: ServerConfig,
  { alsoClose = [], ...run }: RunOptions,
  parts: { ready?: Promise<unknown>; resources: readonly Closeable[]; drains?: readonly Drainable[] },
): Promise<RunningRestService> {
  return runService({
    logger: app.log,
    ready: parts.ready,
    ...run,
    start: async () => {
      const server = await startRestServer(app, config);
      const stops = { transport: restTransport(app), graceMs: config.shutdownGraceMs, drains: parts.drains, resources: [...parts.resources, ...alsoClose] };
      return { server, address: server.url, stops };
    },
  });
}

/** Fastify's part of a shutdown: readiness 503 and new work refused, close, then cut what is left. */
function restTransport(app: FastifyInstance): ServingTransport {
  return {
    stopAdmitting: () => app.readiness.drain(),
    close: () => app.close(),
    cut: () => (isTrackedHttp2Server(app.server) ? app.server.destroyHttp2Sessions() : app.server.closeAllConnections()),
  };
}
