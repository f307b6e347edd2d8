import type { ServerConfig } from '@imagepipeline/config';
import type { AnyStageRuntime } from '@imagepipeline/stages';
import { createJsonLogger } from './json-logger';
import { startGrpcServer, type Closeable, type GrpcServerOptions, type RunningGrpcServer } from './grpc-server';
import { OrchestratorGrpcService, type ImageProcessor } from './orchestrator-service';
import { stageGrpcService } from './stage-services';

/**
 * Runs a server as a process's main job: starts it, logs its address, stops gracefully on SIGTERM
 * or SIGINT and exits 0 (a second signal exits at once with 1). A port it cannot bind, or a failed
 * `ready` (a model that cannot load), logs the reason and exits 1.
 */
export async function runGrpcServer(options: GrpcServerOptions & { config: Pick<ServerConfig, 'service'> }): Promise<RunningGrpcServer> {
  const logger = options.logger ?? createJsonLogger({ level: options.config.logLevel, base: { service: options.config.service } });
  const server = await startGrpcServer({ ...options, logger }).catch((error: unknown) => {
    const { host, port } = options.config;
    logger.error('cannot listen', { host, port, error: error instanceof Error ? error.message : String(error) });
    return process.exit(1);
  });
  const services = options.services.map((service) => service.serviceName);
  logger.info('listening', { protocol: 'grpc', address: server.address, services });

  (options.ready ?? Promise.resolve()).then(
    () => logger.info('ready'),
    () => {
      logger.error('exiting: start-up failed (see "not ready")');
      void server.close().finally(() => process.exit(1));
    },
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

/** Runs one stage service: its binding, health SERVING once its model is ready, the runtime closed on exit. */
export function runStageGrpcServer(runtime: AnyStageRuntime, config: ServerConfig): Promise<RunningGrpcServer> {
  return runGrpcServer({ config, services: [stageGrpcService(runtime)], ready: runtime.ready, resources: [runtime] });
}

/**
 * Runs the orchestrator service. The orchestrator closes first (its queues drain), then `alsoClose`
 * in order, e.g. the stage client it calls through.
 */
export function runOrchestratorGrpcServer(
  orchestrator: ImageProcessor & Closeable,
  config: ServerConfig,
  alsoClose: readonly Closeable[] = [],
): Promise<RunningGrpcServer> {
  return runGrpcServer({ config, services: [new OrchestratorGrpcService(orchestrator)], resources: [orchestrator, ...alsoClose] });
}
