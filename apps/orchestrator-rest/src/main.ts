// The orchestrator over REST, calling the four stage services over REST (binary bodies, or JSON with
// base64 when REST_STAGE_ENCODING=json); serves until SIGTERM. TLS and the bearer token on its own
// port come with config.server (TLS_*_FILE, AUTH_TOKEN_FILE), towards the stages with the stage
// client's config (STAGE_TLS_*_FILE, STAGE_AUTH_TOKEN_FILE).
import { loadConfigOrExit, loadOrchestratorConfig } from '@imagepipeline/config';
import { JobStore, Orchestrator, orchestratorOptionsFromConfig } from '@imagepipeline/pipeline';
import { RestStageClient, runOrchestratorRestServer } from '@imagepipeline/transport-rest';

const config = loadConfigOrExit(() => loadOrchestratorConfig('rest', process.env));
const stages = RestStageClient.fromConfig(config);
const orchestrator = new Orchestrator(stages, orchestratorOptionsFromConfig(config));
const jobs = new JobStore(orchestrator, { ttlMs: config.jobTtlMs, maxJobs: config.maxJobs, maxResultBytes: config.maxJobResultBytes });
await runOrchestratorRestServer(orchestrator, jobs, config.server, { alsoClose: [stages] });
