// The noise-reducer stage over gRPC: configuration from the environment, then serve until SIGTERM.
import { loadConfigOrExit, loadStageServiceConfig } from '@imagepipeline/config';
import { createStageRuntime } from '@imagepipeline/stages';
import { runStageGrpcServer } from '@imagepipeline/transport-grpc';

const config = loadConfigOrExit(() => loadStageServiceConfig('noise-reducer', 'grpc', process.env));
await runStageGrpcServer(createStageRuntime('noise-reducer', config), config.server);
