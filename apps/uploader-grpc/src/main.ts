// The uploader stage over gRPC: configuration from the environment, then serve until SIGTERM.
import { loadConfigOrExit, loadStageServiceConfig } from '@imagepipeline/config';
import { createStageRuntime } from '@imagepipeline/stages';
import { runStageGrpcServer } from '@imagepipeline/transport-grpc';

const config = loadConfigOrExit(() => loadStageServiceConfig('uploader', 'grpc', process.env));
await runStageGrpcServer(createStageRuntime('uploader', config), config.server);
