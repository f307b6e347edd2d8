/**
 * The REST transport: Fastify servers for the four stage services and the orchestrator (each
 * feature a named plugin), the one error-code ↔ HTTP-status table, and the orchestrator's REST
 * client to the stages.
 */
export {
  errorCodeForHttpStatus,
  HTTP_STATUS_BY_ERROR_CODE,
  pipelineErrorFromHttp,
  restErrorReply,
  type RestErrorBody,
  type RestErrorContext,
  type RestErrorReply,
} from './http-errors';
export { restErrorsPlugin, type RestErrorsOptions } from './rest-errors-plugin';
export { healthPlugin, type HealthOptions, type Readiness } from './health-plugin';
export { metricsPlugin, type MetricsOptions, type QueueSample, type RestMetrics } from './metrics-plugin';
export { concurrencyGuardPlugin, type ConcurrencyGuard, type ConcurrencyGuardOptions } from './concurrency-guard-plugin';
export { imageInputPlugin, type ImageInput, type ImageInputOptions } from './image-input-plugin';
export { stageRoutesPlugin, type StageRoutesOptions } from './stage-routes-plugin';
export { pipelineRoutesPlugin, type PipelineRoutesOptions } from './pipeline-routes-plugin';
export { jobRoutesPlugin, type JobRoutesOptions } from './job-routes-plugin';
export {
  buildOrchestratorRestServer,
  buildStageRestServer,
  createRestServer,
  startRestServer,
  type RestServerParts,
  type RunningRestServer,
} from './rest-server';
export {
  runOrchestratorRestServer,
  runStageRestServer,
  type Closeable,
  type RunningRestService,
  type RunOptions,
} from './run-rest-server';
export { RestStageClient, type RestStageClientOptions } from './rest-stage-client';
export type { ResolveHost, StageReplicasOptions } from './stage-replicas';
export { RestOrchestratorClient, type RestOrchestratorClientOptions } from './rest-orchestrator-client';
