import { loadOrchestratorConfig, loadStageServiceConfig, type Env, type Protocol, type ServiceName } from '@imagepipeline/config';

/**
 * The port a service answers `GET /metrics` on, as its own configuration reads `env` (a deploy
 * file's environment for it): REST its service port; gRPC its `METRICS_PORT`, by default its
 * default port + 1000 while `PORT` is the default (0, any free port, when `PORT` moves it).
 */
export function metricsPortOf(protocol: Protocol, service: ServiceName, env: Env = {}): number {
  const { server } = service === 'orchestrator' ? loadOrchestratorConfig(protocol, env) : loadStageServiceConfig(service, protocol, env);
  return server.metricsPort ?? server.port;
}
