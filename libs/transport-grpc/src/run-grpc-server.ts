import type { ServerConfig } from '@imagepipeline/config';
import {
  createServiceLogger,
  orchestratorQueues,
  runService,
  ServiceMetrics,
  type Closeable,
  type OrchestratorStatsSource,
  type RunningService,
  type RunServiceOptions,
} from '@imagepipeline/serving';
import type { AnyStageRuntime } from '@imagepipeline/stages';
import { startGrpcServer, type GrpcServerOptions, type RunningGrpcServer } from './grpc-server';
import { OrchestratorGrpcService, type ImageProcessor } from './orchestrator-service';
import { stageGrpcService } from './stage-services';

/** How the process ends and which signals stop it: the serving core's defaults unless a test passes its own. */
export type RunOptions = Pick<RunServiceOptions<unknown>, 'signals' | 'exit'>;

/**
 * Runs a gRPC server as a process's main job under the serving core's lifecycle: started, `ready`
 * once `options.ready` resolves (else exit 1), graceful shutdown on SIGTERM or SIGINT and exit 0.
 */
export function runGrpcServer(options: Omit<GrpcServerOptions, 'logger'>, run: RunOptions = {}): Promise<RunningService<RunningGrpcServer>> {
  const logger = createServiceLogger({ service: options.config.service, level: options.config.logLevel });
  return runService({
    logger,
    ready: options.ready,
    ...run,
    start: async () => {
      const server = await startGrpcServer({ ...options, logger });
      return { server, address: `grpc://${server.address}`, stops: server.stops };
    },
  });
}

/**
 * Runs one stage service: its binding, health SERVING once its model is ready, its compute and
 * inference times in the metrics, the runtime closed on exit.
 */
export function runStageGrpcServer(runtime: AnyStageRuntime, config: ServerConfig, run?: RunOptions): Promise<RunningService<RunningGrpcServer>> {
  const metrics = grpcMetrics(config);
  runtime.observeTimings?.(metrics);
  return runGrpcServer({ config, services: [stageGrpcService(runtime)], ready: runtime.ready, resources: [runtime], metrics }, run);
}

/**
 * Runs the orchestrator service. The orchestrator closes first (its queues drain), then `alsoClose`
 * in order, e.g. the stage client it calls through.
 */
export function runOrchestratorGrpcServer(
  orchestrator: ImageProcessor & OrchestratorStatsSource & Closeable,
  config: ServerConfig,
  alsoClose: readonly Closeable[] = [],
): Promise<RunningService<RunningGrpcServer>> {
  const metrics = grpcMetrics(config);
  metrics.reportQueues(() => orchestratorQueues(orchestrator.stats()));
  return runGrpcServer({ config, services: [new OrchestratorGrpcService(orchestrator)], resources: [orchestrator, ...alsoClose], metrics });
}

function grpcMetrics(config: ServerConfig): ServiceMetrics {
  return new ServiceMetrics({ service: config.service, protocol: 'grpc' });
}
