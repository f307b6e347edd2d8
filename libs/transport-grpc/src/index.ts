export {
  GRPC_STATUS_BY_PIPELINE_CODE,
  PIPELINE_ERROR_CODE_KEY,
  RETRY_AFTER_KEY,
  fromServiceError,
  statusName,
  toServiceError,
} from './error-status';
export { ConcurrencyLimiter, type ConcurrencyLimits } from './concurrency-limiter';
export { createJsonLogger, type JsonLogger, type JsonLoggerOptions, type LogFields, type LogLevel } from './json-logger';
export { grpcClientOptions, grpcServerOptions } from './channel-options';
export { CallGuard, type StreamWork, type UnaryWork } from './call-guard';
export type { GrpcServiceBinding } from './service-binding';
export {
  BackgroundRemoverGrpcService,
  ClassifierGrpcService,
  NoiseReducerGrpcService,
  UploaderGrpcService,
  stageGrpcService,
} from './stage-services';
export { OrchestratorGrpcService, type ImageProcessor } from './orchestrator-service';
export { HEALTH_SERVICE_NAME, addReflection } from './reflection';
export { startGrpcServer, type Closeable, type GrpcServerOptions, type RunningGrpcServer } from './grpc-server';
export { runGrpcServer, runOrchestratorGrpcServer, runStageGrpcServer } from './run-grpc-server';
export { GrpcStageClient, type GrpcStageClientOptions } from './grpc-stage-client';
export { grpcStageClientOptions } from './stage-client-config';
export { GrpcOrchestratorClient, type GrpcOrchestratorClientOptions } from './grpc-orchestrator-client';
