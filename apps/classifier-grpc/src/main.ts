// The classifier stage over gRPC: configuration from the environment, then serve until SIGTERM.
import { loadConfigOrExit, loadStageServiceConfig } from '@imagepipeline/config';
import { createStageRuntime } from '@imagepipeline/stages';
import { runStageGrpcServer } from '@imagepipeline/transport-grpc';

const config = loadConfigOrExit(() => loadStageServiceConfig('classifier', 'grpc', process.env));
await runStageGrpcServer(createStageRuntime('classifier', config), config.server);
