import { DEFAULT_PORTS, SERVICE_MALLOC_TUNABLES, SERVICE_NAMES, STAGE_ADDRESS_VARIABLES, type Protocol, type ServiceName } from '@imagepipeline/config';

/** One service process to start: which built app, where it listens, and its environment. */
export interface ServicePlan {
  service: ServiceName;
  /** The process's own name (its log file): the app, with `-2`, `-3`, … for further replicas. */
  name: string;
  app: string;
  host: string;
  port: number;
  env: Record<string, string>;
}

/** Where each service listens: its host (an IP, or 127.0.0.1 locally) and port. */
export type ServiceHosts = Record<ServiceName, string>;

export const LOCAL_HOSTS: ServiceHosts = Object.fromEntries(SERVICE_NAMES.map((s) => [s, '127.0.0.1'])) as ServiceHosts;

export interface PlanOptions {
  bindAll?: boolean;
  ports?: Record<ServiceName, number>;
  env?: Record<string, string>;
  /** A background remover on each of these hosts (default: `hosts['background-remover']` alone). */
  backgroundHosts?: string[];
}

/**
 * The five services of a protocol with the same environment the compose files use: each listens on
 * its default port; the orchestrator gets the stage addresses through the original's variables, a
 * list where the background remover has several replicas. Every service gets the container image's
 * malloc settings (`SERVICE_MALLOC_TUNABLES`), which `env` may override.
 */
export function planServices(protocol: Protocol, hosts: ServiceHosts, options: PlanOptions = {}): ServicePlan[] {
  const ports = options.ports ?? DEFAULT_PORTS[protocol];
  const hostsOf = (service: ServiceName) =>
    service === 'background-remover' && options.backgroundHosts?.length ? options.backgroundHosts : [hosts[service]];
  const stageAddresses = Object.fromEntries(
    Object.entries(STAGE_ADDRESS_VARIABLES).map(([stage, variable]) => [
      variable,
      hostsOf(stage as ServiceName).map((host) => `${host}:${ports[stage as ServiceName]}`).join(','),
    ]),
  );
  const replicas = hostsOf('background-remover').length;
  // One call in flight per replica, or some replicas sit idle (README, "Replicas"); env may override.
  const stageEnv = { GLIBC_TUNABLES: SERVICE_MALLOC_TUNABLES, ...options.env };
  const orchestratorEnv = { ...(replicas > 1 ? { ORCH_BACKGROUND_REMOVER_CONCURRENCY: String(replicas) } : {}), ...stageEnv, ...stageAddresses };
  // Stages first, the orchestrator last: it calls the others.
  return [...SERVICE_NAMES.slice(1), SERVICE_NAMES[0]].flatMap((service) =>
    hostsOf(service).map((host, replica) => ({
      service,
      name: `${service}-${protocol}${replica > 0 ? `-${replica + 1}` : ''}`,
      app: `${service}-${protocol}`,
      host,
      port: ports[service],
      env: {
        ...(service === 'orchestrator' ? orchestratorEnv : stageEnv),
        HOST: options.bindAll ? '0.0.0.0' : host,
        PORT: String(ports[service]),
      },
    })),
  );
}
