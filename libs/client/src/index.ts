export {
  DEFAULT_ORCHESTRATOR,
  parseClientOptions,
  USAGE,
  UsageError,
  type ClientOptions,
  type Protocol,
  type Topology,
} from './cli-options';
export { readClientSecurity, type SecurityFiles } from './client-security';
export { collectImageFiles } from './collect-images';
export { finishRunReport, sendImage, type RunReportParts, type SendImageOptions } from './image-outcome';
export type { OrchestratorClient, ProcessOptions } from './orchestrator-client';
export { lineProgress, terminalProgress, type ProgressReporter } from './progress';
export { runPipelineClient, type ClientIo, type ClientRunOutcome } from './run-pipeline-client';
