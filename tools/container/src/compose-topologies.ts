import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_CATALOG, modelOptionsFromEnv, resolveModel } from '@imagepipeline/models';
import { ComposeProject, waitHealthy } from './compose';
import { imageOf, nodeMemory, readyMs, type ContainerStats } from './container-stats';
import { docker, REPO_ROOT } from './docker';

export type Protocol = 'grpc' | 'rest';
export type ComposeTopology = 'local' | 'distributed';

/** The compose files' service names: the four stages, then the orchestrator; the client is a job. */
export const STAGE_SERVICES = ['uploader', 'noise-reducer', 'background-remover', 'classifier'] as const;
export const SERVICES = [...STAGE_SERVICES, 'orchestrator'] as const;
const HEALTHY_TIMEOUT_MS = 180_000;

export interface ComposeRun {
  /** Where the client job's results now are: results/compose/<protocol>/ (local) or results/compose-distributed/<protocol>/. */
  resultsDir: string;
  /** Each service as it ran; peak memory includes the client job's work. */
  services: ContainerStats[];
}

/** Where a topology's results land. */
export function composeResultsDir(topology: ComposeTopology, protocol: Protocol): string {
  return join(REPO_ROOT, 'results', topology === 'local' ? 'compose' : 'compose-distributed', protocol);
}

/**
 * docker/compose.local.<protocol>.yml for real: the stages up and healthy, then the orchestrator,
 * then the client job over the samples; the project is brought down whatever happened.
 */
export async function runLocalCompose(protocol: Protocol, log: (line: string) => void = console.log): Promise<ComposeRun> {
  const run = await prepareRun('local', protocol);
  // The orchestrator's host port is any free one: the client job reaches it inside the project.
  const project = new ComposeProject(`pipeline-${protocol}`, [`docker/compose.local.${protocol}.yml`], { ...run.env, ORCHESTRATOR_PUBLISH: '127.0.0.1:' });
  project.down();
  try {
    return await runServicesThenClient(protocol, run, SERVICES.map((service) => ({ service, project })), project, log);
  } finally {
    project.down();
    run.discard();
  }
}

/**
 * The per-machine role files of docker/distributed/<protocol>/ together on one engine: each role its
 * own compose project, all on one user-defined network (docker/distributed/one-engine.yml), with a
 * hosts.env that names the roles' containers. Proves that the files fit each other.
 */
export async function runDistributedCompose(protocol: Protocol, log: (line: string) => void = console.log): Promise<ComposeRun> {
  const run = await prepareRun('distributed', protocol);
  const network = `pipeline-distributed-${protocol}`;
  const hostsFile = join(run.workDir, 'hosts.env');
  writeFileSync(hostsFile, `${SERVICES.map((service) => `${service.toUpperCase().replace('-', '_')}_HOST=${service}`).join('\n')}\n`);
  // Published on 127.0.0.1, each on a port Docker picks: the roles' own ports lie in Linux's
  // ephemeral range, where another process's connection may hold one.
  const env = { ...run.env, PIPELINE_NETWORK: network, PUBLISH_HOST: '127.0.0.1', PUBLISH_PORT: '', PUBLISH_METRICS_PORT: '' };
  const files = (role: string) => [`docker/distributed/${protocol}/${role}.yml`, 'docker/distributed/one-engine.yml'];
  const roles = [...SERVICES, 'client'].map((role) => ({ service: role, project: new ComposeProject(`pipeline-dist-${protocol}-${role}`, files(role), env, hostsFile) }));
  const downAll = () => {
    for (const { project } of [...roles].reverse()) project.down();
    spawnSync('docker', ['network', 'rm', network], { stdio: 'ignore' });
  };
  downAll();
  try {
    docker(['network', 'create', network], { stdio: ['ignore', 'ignore', 'inherit'] });
    const client = roles.at(-1)!.project;
    return await runServicesThenClient(protocol, run, roles.slice(0, -1), client, log);
  } finally {
    downAll();
    run.discard();
  }
}

interface Role {
  service: string;
  project: ComposeProject;
}

async function runServicesThenClient(protocol: Protocol, run: PreparedRun, roles: Role[], client: ComposeProject, log: (line: string) => void): Promise<ComposeRun> {
  const started = Date.now();
  const [stages, orchestrator] = [roles.filter(({ service }) => service !== 'orchestrator'), roles.filter(({ service }) => service === 'orchestrator')];
  try {
    for (const step of [stages, orchestrator]) {
      for (const project of new Set(step.map((role) => role.project))) project.up(step.filter((role) => role.project === project).map((role) => role.service));
      for (const { service, project } of step) await waitHealthy(project, [service], started, HEALTHY_TIMEOUT_MS);
      log(`compose ${protocol}: ${step.map((role) => role.service).join(', ')} healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } catch (error) {
    for (const project of new Set(roles.map((role) => role.project))) project.logs();
    throw error;
  }
  const containers = roles.map(({ service, project }) => ({ service, id: project.containers().get(service)! }));
  const idle = new Map(containers.map(({ service, id }) => [service, nodeMemory(id).rssBytes]));
  const status = client.run('client');
  if (status !== 0) throw new Error(`the client job exited ${status}`);
  const services = containers.map(({ service, id }) => ({
    service,
    ...imageOf(id),
    readyMs: readyMs(id),
    rssBytes: idle.get(service),
    peakRssBytes: nodeMemory(id).peakRssBytes,
  }));
  run.keep();
  return { resultsDir: run.finalDir, services };
}

interface PreparedRun {
  finalDir: string;
  workDir: string;
  /** The compose files' variables: models, samples, results and the client's user. */
  env: Record<string, string>;
  /** Moves the client's results into finalDir. */
  keep(): void;
  discard(): void;
}

/**
 * A run's folders: the model files staged for the /models mount, and an empty results folder the
 * client (not root: uid 1000 when this runs as root) may write, renamed into place only on success.
 */
async function prepareRun(topology: ComposeTopology, protocol: Protocol): Promise<PreparedRun> {
  const finalDir = composeResultsDir(topology, protocol);
  const workDir = mkdtempSync(join(tmpdir(), `pipeline-compose-${protocol}-`));
  const resultsHostDir = join(join(finalDir, '..'), `.${protocol}.partial`);
  rmSync(resultsHostDir, { recursive: true, force: true });
  mkdirSync(resultsHostDir, { recursive: true });
  const [uid, gid] = clientUser();
  spawnSync('chown', [`${uid}:${gid}`, resultsHostDir]);
  const discard = () => {
    rmSync(workDir, { recursive: true, force: true });
    rmSync(resultsHostDir, { recursive: true, force: true });
  };
  return {
    finalDir,
    workDir,
    env: {
      PIPELINE_MODELS_HOST_DIR: await stageModels(join(workDir, 'models')),
      PIPELINE_SAMPLES_HOST_DIR: join(REPO_ROOT, 'samples'),
      PIPELINE_RESULTS_HOST_DIR: resultsHostDir,
      PIPELINE_UID: String(uid),
      PIPELINE_GID: String(gid),
    },
    keep() {
      // The client writes <out>/<topology>/<protocol>/ (its --topology label; local for compose.local).
      const written = join(resultsHostDir, topology, protocol);
      if (!existsSync(join(written, 'summary.json'))) throw new Error(`the client job wrote no ${join(written, 'summary.json')}`);
      if (process.getuid?.() === 0) spawnSync('chown', ['-R', '0:0', written]);
      rmSync(finalDir, { recursive: true, force: true });
      renameSync(written, finalDir);
    },
    discard,
  };
}

/** The client container's user: yours, so the results belong to you; 1000 (the image's node) instead of root. */
function clientUser(): [number, number] {
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  return uid === 0 ? [1000, 1000] : [uid, gid];
}

/** The two model files, found as the services find them (PIPELINE_MODEL_DIR, npm package, cache), copied for the mount. */
async function stageModels(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const options = modelOptionsFromEnv(process.env);
  for (const entry of Object.values(MODEL_CATALOG)) copyFileSync((await resolveModel(entry, options)).path, join(dir, entry.fileName));
  return dir;
}
