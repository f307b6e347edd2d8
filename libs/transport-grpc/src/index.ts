/**
 * The gRPC transport, as apps and tools use it: the stage and orchestrator services run under the
 * serving core's lifecycle, the orchestrator's client to the stages and the pipeline client's
 * client to the orchestrator. Servers, bindings, codecs and channel options stay inside.
 */
export { runOrchestratorGrpcServer, runStageGrpcServer } from './run-grpc-server';
export { GrpcStageClient } from './grpc-stage-client';
export { grpcStageClientOptions } from './stage-client-config';
export { GrpcOrchestratorClient } from './grpc-orchestrator-client';
