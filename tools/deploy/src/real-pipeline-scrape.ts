import { loadOrchestratorConfig, loadStageServiceConfig, type Protocol, type ServiceName, type StageServiceName } from '@imagepipeline/config';
import { STAGE_TABLE } from '@imagepipeline/contracts';
import { testPhotoImage } from '@imagepipeline/imaging/testing';
import { testModelEnv } from '@imagepipeline/models/testing';
import { JobStore, Orchestrator, orchestratorOptionsFromConfig } from '@imagepipeline/pipeline';
import { createStageRuntime } from '@imagepipeline/stages';
import { GrpcOrchestratorClient, GrpcStageClient, grpcStageClientOptions, runOrchestratorGrpcServer, runStageGrpcServer } from '@imagepipeline/transport-grpc';
import { RestOrchestratorClient, RestStageClient, runOrchestratorRestServer, runStageRestServer } from '@imagepipeline/transport-rest';

/** What each service of one protocol answered at `GET /metrics`. */
export type PipelineScrapes = Record<ServiceName, string>;

/** A service started here: where to call it, where Prometheus would scrape it, how to stop it. */
interface StartedService {
  address: string;
  metricsUrl: string;
  shutdown(): Promise<void>;
}

/** Under the serving core's lifecycle without signals or exits of the test process. */
const IN_TEST = { signals: [], exit: () => undefined };

/** Every service on a free loopback port, quiet, with the test models. */
const serviceEnv = () => ({ PORT: '0', LOG_LEVEL: 'silent', ...testModelEnv() });

/**
 * Starts the five services of `protocol` in this process, put together as their apps put them
 * together (apps/<service>-<protocol>/src/main.ts), with the real models; sends one photo through
 * the orchestrator with the pipeline client's own client for that protocol (gRPC ProcessStream,
 * REST jobs); scrapes each service where Prometheus does (REST: its port; gRPC: its metrics port);
 * and stops them all.
 */
export async function scrapeRealPipeline(protocol: Protocol): Promise<PipelineScrapes> {
  const started: StartedService[] = [];
  try {
    const stages = {} as Record<StageServiceName, StartedService>;
    for (const { service } of STAGE_TABLE) {
      stages[service] = await startStage(service, protocol);
      started.push(stages[service]);
    }
    const orchestrator = await startOrchestrator(protocol, stages);
    started.unshift(orchestrator);
    await sendOnePhoto(protocol, orchestrator.address);
    const all: Record<ServiceName, StartedService> = { orchestrator, ...stages };
    const scrapes = await Promise.all(Object.entries(all).map(async ([service, { metricsUrl }]) => [service, await scrape(metricsUrl)]));
    return Object.fromEntries(scrapes) as PipelineScrapes;
  } finally {
    for (const service of started) await service.shutdown();
  }
}

async function startStage(service: StageServiceName, protocol: Protocol): Promise<StartedService> {
  const config = loadStageServiceConfig(service, protocol, serviceEnv());
  const runtime = createStageRuntime(service, config);
  if (protocol === 'grpc') {
    const { server, shutdown } = await runStageGrpcServer(runtime, config.server, IN_TEST);
    await runtime.ready;
    return { address: server.address, metricsUrl: `http://${config.server.host}:${server.metricsPort}/metrics`, shutdown };
  }
  const { server, shutdown } = await runStageRestServer(runtime, config.server, IN_TEST);
  await runtime.ready;
  return { address: `${config.server.host}:${server.port}`, metricsUrl: `${server.url}/metrics`, shutdown };
}

async function startOrchestrator(protocol: Protocol, stages: Record<StageServiceName, StartedService>): Promise<StartedService> {
  const addresses = Object.fromEntries(STAGE_TABLE.map(({ service, addressVariable }) => [addressVariable, stages[service].address]));
  const config = loadOrchestratorConfig(protocol, { ...serviceEnv(), ...addresses });
  const options = orchestratorOptionsFromConfig(config);
  if (protocol === 'grpc') {
    const client = new GrpcStageClient(grpcStageClientOptions(config));
    // runOrchestratorGrpcServer takes no run options: its SIGTERM/SIGINT handlers stay only until shutdown.
    const { server, shutdown } = await runOrchestratorGrpcServer(new Orchestrator(client, options), config.server, [client]);
    return { address: server.address, metricsUrl: `http://${config.server.host}:${server.metricsPort}/metrics`, shutdown };
  }
  const client = RestStageClient.fromConfig(config);
  const orchestrator = new Orchestrator(client, options);
  const jobs = new JobStore(orchestrator, { ttlMs: config.jobTtlMs, maxJobs: config.maxJobs, maxResultBytes: config.maxJobResultBytes });
  const { server, shutdown } = await runOrchestratorRestServer(orchestrator, jobs, config.server, { ...IN_TEST, alsoClose: [client] });
  return { address: `${config.server.host}:${server.port}`, metricsUrl: `${server.url}/metrics`, shutdown };
}

async function sendOnePhoto(protocol: Protocol, address: string): Promise<void> {
  const client = protocol === 'grpc' ? new GrpcOrchestratorClient(address) : new RestOrchestratorClient(address);
  try {
    await client.process(await testPhotoImage('coffee.png'), { topK: 1, includeIntermediates: false });
  } finally {
    await client.close();
  }
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return response.text();
}
