import { join } from 'node:path';
import { SERVICE_NAMES, type Protocol, type ServiceName } from '@imagepipeline/config';
import { LOCAL_HOSTS, planServices, withServices, type ServicesRun, type StartedServices } from '@imagepipeline/topology';

/** The five running services of one protocol: where its orchestrator listens and every process id. */
export interface ProtocolServices {
  protocol: Protocol;
  orchestrator: string;
  pids: Record<ServiceName, number>;
}

export interface ServicesOptions {
  root: string;
  workDir: string;
  /** gRPC on basePort + service index, REST ten ports above. */
  basePort: number;
  /** Added to every service's environment (benchmark:tracing: the OpenTelemetry variables). */
  env?: Record<string, string>;
}

function runOf(protocol: Protocol, options: ServicesOptions): ServicesRun {
  const offset = options.basePort + (protocol === 'rest' ? 10 : 0);
  const ports = Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, offset + i])) as Record<ServiceName, number>;
  const env = { LOG_LEVEL: 'warn', ...options.env };
  return { protocol, services: planServices(protocol, LOCAL_HOSTS, { ports, env }), root: options.root, logDir: join(options.workDir, 'logs', protocol), log: () => undefined };
}

function describe(run: ServicesRun, started: StartedServices): ProtocolServices {
  const orchestrator = run.services.find((plan) => plan.service === 'orchestrator')!;
  const pids = Object.fromEntries(run.services.map((plan, i) => [plan.service, started.services[i].process.pid ?? 0])) as Record<ServiceName, number>;
  return { protocol: run.protocol, orchestrator: `${orchestrator.host}:${orchestrator.port}`, pids };
}

/**
 * Starts the built services of both protocols side by side (so runs can alternate without a
 * restart between them), runs `body`, and stops them all whatever happens.
 */
export function withBothProtocols<T>(options: ServicesOptions, body: (services: Record<Protocol, ProtocolServices>) => Promise<T>): Promise<T> {
  const grpc = runOf('grpc', options);
  const rest = runOf('rest', options);
  return withServices(grpc, (grpcStarted) =>
    withServices(rest, (restStarted) => body({ grpc: describe(grpc, grpcStarted), rest: describe(rest, restStarted) })),
  );
}
