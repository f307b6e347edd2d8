// The orchestrator over REST, calling the four stage services over REST (binary bodies, or JSON with
// base64 when REST_STAGE_ENCODING=json); serves until SIGTERM.
import { loadConfigOrExit, loadOrchestratorConfig } from '@imagepipeline/config';
import { JobStore, Orchestrator, orchestratorOptionsFromConfig } from '@imagepipeline/pipeline';
import { RestStageClient, runOrchestratorRestServer } from '@imagepipeline/transport-rest';

const config = loadConfigOrExit(() => loadOrchestratorConfig('rest', process.env));
const stages = RestStageClient.fromConfig(config);
const orchestrator = new Orchestrator(stages, orchestratorOptionsFromConfig(config));
const jobs = new JobStore(orchestrator, { ttlMs: config.jobTtlMs, maxJobs: config.maxJobs, maxResultBytes: config.maxJobResultBytes });
await runOrchestratorRestServer(orchestrator, jobs, config.server, { alsoClose: [stages] });
