// The orchestrator over gRPC, calling the four stage services over gRPC; serves until SIGTERM.
import { loadConfigOrExit, loadOrchestratorConfig } from '@imagepipeline/config';
import { Orchestrator, orchestratorOptionsFromConfig } from '@imagepipeline/pipeline';
import { GrpcStageClient, grpcStageClientOptions, runOrchestratorGrpcServer } from '@imagepipeline/transport-grpc';

const config = loadConfigOrExit(() => loadOrchestratorConfig('grpc', process.env));
const stages = new GrpcStageClient(grpcStageClientOptions(config));
const orchestrator = new Orchestrator(stages, orchestratorOptionsFromConfig(config));
await runOrchestratorGrpcServer(orchestrator, config.server, [stages]);
