// The five built services of one protocol as real processes on chosen ports, with what the
// reliability cases need on top of tools/topology: RSS, kill -9, restart, an extra orchestrator,
// and mutual TLS with a token on every service.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadOrchestratorConfig,
  loadStageServiceConfig,
  SERVICE_NAMES,
  type OrchestratorConfig,
  type Protocol,
  type ServerConfig,
  type ServiceName,
} from '@imagepipeline/config';
import { testModelEnv } from '@imagepipeline/models/testing';
import {
  isReady,
  readinessOf,
  type LocalTls,
  type Readiness,
  LOCAL_HOSTS,
  planServices,
  startService,
  waitUntilReady,
  type RunningService,
  type ServicePlan,
} from '@imagepipeline/topology';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export type Ports = Record<ServiceName, number>;

/** Five consecutive ports from `base`, in SERVICE_NAMES order (orchestrator first). */
export function portsFrom(base: number): Ports {
  return Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, base + i])) as Ports;
}

export interface ServiceSetOptions {
  protocol: Protocol;
  ports: Ports;
  /** Environment for every service. */
  env?: Record<string, string>;
  /** Environment for the orchestrator only, on top of `env`. */
  orchestratorEnv?: Record<string, string>;
  /**
   * Mutual TLS and a token on every service (and the orchestrator's to its stages), from
   * `prepareLocalTls`: readiness is probed with its client certificate, and the set removes the
   * credentials when it stops.
   */
  tls?: LocalTls;
}

/** Started services by name; each can be killed, signalled and restarted. */
export class ServiceSet {
  readonly running = new Map<string, RunningService>();
  private readonly plans: Map<string, ServicePlan>;

  private constructor(
    readonly options: ServiceSetOptions,
    readonly workDir: string,
  ) {
    const env = {
      ...testModelEnv(),
      LOG_LEVEL: 'warn',
      ...options.tls?.env,
      ...options.env,
    };
    const plans = planServices(options.protocol, LOCAL_HOSTS, { ports: options.ports, env });
    for (const plan of plans) if (plan.service === 'orchestrator') Object.assign(plan.env, options.orchestratorEnv);
    this.plans = new Map(plans.map((plan) => [plan.service, plan]));
  }

  /** Starts all five (stages first) and waits until each is ready. */
  static async start(options: ServiceSetOptions): Promise<ServiceSet> {
    const set = new ServiceSet(options, await mkdtemp(join(tmpdir(), `reliability-${options.protocol}-`)));
    try {
      for (const service of [...SERVICE_NAMES.slice(1), SERVICE_NAMES[0]]) await set.startOne(service);
    } catch (error) {
      await set.stop();
      throw error;
    }
    return set;
  }

  get protocol(): Protocol {
    return this.options.protocol;
  }

  address(service: ServiceName): string {
    return `127.0.0.1:${this.options.ports[service]}`;
  }

  /** What the orchestrator reads from the environment it is started with: its limits as it sees them. */
  orchestratorConfig(): OrchestratorConfig {
    return loadOrchestratorConfig(this.protocol, this.plans.get('orchestrator')!.env);
  }

  /** A service's server limits (timeouts, concurrency, message sizes) as it reads them from its environment. */
  serverConfig(service: ServiceName): ServerConfig {
    const { env } = this.plans.get(service)!;
    return service === 'orchestrator' ? this.orchestratorConfig().server : loadStageServiceConfig(service, this.protocol, env).server;
  }

  pid(name: string): number {
    const pid = this.get(name).process.pid;
    if (pid === undefined) throw new Error(`${name} has no pid`);
    return pid;
  }

  get(name: string): RunningService {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service;
  }

  /** Starts (or restarts) one planned service and waits until it is ready. */
  async startOne(service: ServiceName): Promise<RunningService> {
    const plan = this.plans.get(service)!;
    return this.launch(service, plan.app, plan.env, this.options.ports[service]);
  }

  /**
   * Starts another orchestrator of this protocol on `port` calling this set's stages, with extra
   * environment (small bounds, short deadlines, another stage address); it is stopped with the set.
   */
  async startExtraOrchestrator(name: string, port: number, env: Record<string, string>): Promise<RunningService> {
    const plan = this.plans.get('orchestrator')!;
    return this.launch(name, plan.app, { ...plan.env, ...env, PORT: String(port) }, port);
  }

  async isReady(service: ServiceName): Promise<boolean> {
    return isReady(this.protocol, this.address(service), this.options.tls?.probes);
  }

  /** One probe, telling "not ready" apart from "no answer yet". */
  readiness(service: ServiceName): Promise<Readiness> {
    return readinessOf(this.protocol, this.address(service), this.options.tls?.probes);
  }

  /** `kill -9`, then waits for the exit. */
  async kill(name: string): Promise<void> {
    const service = this.get(name);
    service.process.kill('SIGKILL');
    await service.exited;
    this.running.delete(name);
  }

  /** Resident memory in MiB, from /proc/<pid>/status (VmRSS). */
  async rssMiB(name: string): Promise<number> {
    const text = await readFile(`/proc/${this.pid(name)}/status`, 'utf8');
    const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(text)?.[1] ?? NaN);
    return Math.round((kib / 1024) * 10) / 10;
  }

  async rssAll(): Promise<Record<string, number>> {
    const entries = await Promise.all([...this.running.keys()].map(async (name) => [name, await this.rssMiB(name)] as const));
    return Object.fromEntries(entries);
  }

  isAlive(name: string): boolean {
    const child = this.running.get(name)?.process;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** Stops everything still running (SIGTERM, then SIGKILL after a grace) and removes the work folder and credentials. */
  async stop(): Promise<void> {
    const services = [...this.running.values()].reverse();
    this.running.clear();
    await Promise.all(services.map((service) => service.stop(15_000)));
    await rm(this.workDir, { recursive: true, force: true });
    await this.options.tls?.remove();
  }

  private async launch(name: string, app: string, env: Record<string, string>, port: number): Promise<RunningService> {
    const bundle = join(REPO_ROOT, 'dist/apps', app, 'main.mjs');
    const service = await startService({ name, command: process.execPath, args: [bundle], env, logDir: join(this.workDir, 'logs'), cwd: REPO_ROOT });
    this.running.set(name, service);
    const address = `127.0.0.1:${port}`;
    let ready = false;
    const exitedEarly = service.exited.then(async (code) => {
      if (ready) return;
      const log = await readFile(service.logFile, 'utf8').catch(() => '');
      throw new Error(`${name} exited with ${code} before it was ready:\n${log.slice(-2000)}`);
    });
    exitedEarly.catch(() => undefined);
    await Promise.race([waitUntilReady(this.protocol, address, 120_000, name, this.options.tls?.probes), exitedEarly]);
    ready = true;
    return service;
  }
}
