// The background-remover stage over REST: configuration from the environment, then serve until SIGTERM.
import { loadConfigOrExit, loadStageServiceConfig } from '@imagepipeline/config';
import { createStageRuntime } from '@imagepipeline/stages';
import { runStageRestServer } from '@imagepipeline/transport-rest';

const config = loadConfigOrExit(() => loadStageServiceConfig('background-remover', 'rest', process.env));
await runStageRestServer(createStageRuntime('background-remover', config), config.server);
