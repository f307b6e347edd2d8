import { DEFAULT_PORTS, SERVICE_NAMES, STAGE_ADDRESS_VARIABLES, type Protocol, type ServiceName } from '@imagepipeline/config';

/** One service process to start: which built app, where it listens, and its environment. */
export interface ServicePlan {
  service: ServiceName;
  app: string;
  host: string;
  port: number;
  env: Record<string, string>;
}

/** Where each service listens: its host (an IP, or 127.0.0.1 locally) and port. */
export type ServiceHosts = Record<ServiceName, string>;

export const LOCAL_HOSTS: ServiceHosts = Object.fromEntries(SERVICE_NAMES.map((s) => [s, '127.0.0.1'])) as ServiceHosts;

/**
 * The five services of a protocol with the same environment the compose files use: each listens on
 * its default port; the orchestrator gets the stage addresses through the original's variables.
 */
export function planServices(
  protocol: Protocol,
  hosts: ServiceHosts,
  options: { bindAll?: boolean; ports?: Record<ServiceName, number>; env?: Record<string, string> } = {},
): ServicePlan[] {
  const ports = options.ports ?? DEFAULT_PORTS[protocol];
  const address = (service: ServiceName) => `${hosts[service]}:${ports[service]}`;
  const stageAddresses = Object.fromEntries(
    Object.entries(STAGE_ADDRESS_VARIABLES).map(([stage, variable]) => [variable, address(stage as ServiceName)]),
  );
  // Stages first, the orchestrator last: it calls the others.
  return [...SERVICE_NAMES.slice(1), SERVICE_NAMES[0]].map((service) => ({
    service,
    app: `${service}-${protocol}`,
    host: hosts[service],
    port: ports[service],
    env: {
      ...options.env,
      HOST: options.bindAll ? '0.0.0.0' : hosts[service],
      PORT: String(ports[service]),
      ...(service === 'orchestrator' ? stageAddresses : {}),
    },
  }));
}
