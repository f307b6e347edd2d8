/**
 * The orchestrator core: a pipelined Orchestrator (per-stage admission from the serving core) with per-image
 * timelines, the JobStore for the asynchronous REST style, and the transport-neutral StageClient
 * interface that the gRPC and REST clients implement.
 */
export type { StageClient } from './stage-client';
export { RoundRobin } from './round-robin';
export {
  DEFAULT_MAX_IN_FLIGHT_IMAGES,
  DEFAULT_STAGE_OPTIONS,
  resolveOrchestratorOptions,
  type OrchestratorOptions,
  type ResolvedOrchestratorOptions,
  type StageOptions,
} from './orchestrator-options';
export {
  DEFAULT_TOP_K,
  MAX_TOP_K,
  sanitizeFileName,
  validateProcessRequest,
  type ValidProcessRequest,
} from './process-request';
export { Orchestrator, type OrchestratorStats, type ProcessHooks } from './orchestrator';
export { orchestratorOptionsFromConfig } from './options-from-config';
export {
  DEFAULT_JOB_TTL_MS,
  DEFAULT_MAX_JOBS,
  JobStore,
  type JobError,
  type JobProcessor,
  type JobStatus,
  type JobStoreOptions,
  type JobStoreStats,
  type JobView,
} from './job-store';
