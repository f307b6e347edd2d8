// The noise-reducer stage over REST: configuration from the environment, then serve until SIGTERM.
import { loadConfigOrExit, loadStageServiceConfig } from '@imagepipeline/config';
import { createStageRuntime } from '@imagepipeline/stages';
import { runStageRestServer } from '@imagepipeline/transport-rest';

const config = loadConfigOrExit(() => loadStageServiceConfig('noise-reducer', 'rest', process.env));
await runStageRestServer(createStageRuntime('noise-reducer', config), config.server);
