import { join } from 'node:path';
import { SERVICE_NAMES, STAGE_ADDRESS_VARIABLES, type ServiceName, type StageServiceName } from '@imagepipeline/config';
import { planServices, startServices, type ServiceHosts, type StartedServices } from '@imagepipeline/topology';
import { startCountingProxy, type CountingProxy } from '@imagepipeline/topology';
import { PROTOCOL_OF, VARIANT_ENV, VARIANTS, type Variant } from './variants';

/** Where the services run and how the relays reach them. */
export interface Placement {
  name: string;
  hosts: ServiceHosts;
  /** Network namespace of each service, when distributed. */
  namespaces?: Record<ServiceName, string>;
  /** The address the orchestrator uses to reach the relays (loopback, or the bridge's gateway). */
  relayHost: string;
  /**
   * No relays: the client and the orchestrator reach the services themselves, so no bytes are
   * counted and the relays' own copying is not in the times (the camera-resolution timings).
   */
  direct?: boolean;
  /** Delay each relay adds per chunk and direction (ms). */
  relayDelayMs?: number;
}

/** The five services of one variant, each behind a counting relay unless the placement is direct. */
export interface Stack {
  variant: Variant;
  /** Address the benchmark client uses: the orchestrator's relay, or the orchestrator itself. */
  clientAddress: string;
  /** None when the placement is direct. */
  proxies?: Record<ServiceName, CountingProxy>;
  pids: Record<ServiceName, number>;
  started: StartedServices;
}

/** The stacks started, by variant. */
export type Stacks = Partial<Record<Variant, Stack>>;

export interface StackOptions {
  root: string;
  workDir: string;
  /** Ports: variant i uses basePort + 100 i + service index; its relays 50 above. */
  basePort: number;
}

function port(options: StackOptions, variant: Variant, service: ServiceName, relay: boolean): number {
  return options.basePort + 100 * VARIANTS.indexOf(variant) + SERVICE_NAMES.indexOf(service) + (relay ? 50 : 0);
}

/** Starts the relays and the five services of one variant; the orchestrator is given the relays' addresses. */
async function startStack(variant: Variant, placement: Placement, options: StackOptions): Promise<Stack> {
  const protocol = PROTOCOL_OF[variant];
  const proxies = {} as Record<ServiceName, CountingProxy>;
  const distributed = placement.namespaces !== undefined;
  for (const service of placement.direct ? [] : SERVICE_NAMES) {
    proxies[service] = await startCountingProxy({
      listenHost: distributed ? '0.0.0.0' : '127.0.0.1',
      advertiseHost: service === 'orchestrator' ? '127.0.0.1' : placement.relayHost,
      port: port(options, variant, service, true),
      target: { host: placement.hosts[service], port: port(options, variant, service, false) },
      delayMs: placement.relayDelayMs,
    });
  }
  const ports = Object.fromEntries(SERVICE_NAMES.map((s) => [s, port(options, variant, s, false)])) as Record<ServiceName, number>;
  const plans = planServices(protocol, placement.hosts, {
    ports,
    bindAll: distributed,
    env: {
      LOG_LEVEL: 'warn',
      ...VARIANT_ENV[variant],
    },
  });
  const orchestrator = plans.find((plan) => plan.service === 'orchestrator');
  for (const [stage, variable] of Object.entries(STAGE_ADDRESS_VARIABLES) as [StageServiceName, string][]) {
    if (orchestrator && !placement.direct) orchestrator.env[variable] = proxies[stage].address;
  }
  const namespaces = placement.namespaces;
  const started = await startServices({
    protocol,
    services: plans,
    root: options.root,
    logDir: join(options.workDir, 'logs', placement.name, variant),
    log: () => undefined,
    launch: namespaces
      ? (plan, bundle) => ({ command: 'ip', args: ['netns', 'exec', namespaces[plan.service], process.execPath, bundle] })
      : undefined,
  }).catch(async (error: unknown) => {
    await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
    throw error;
  });
  const pids = {} as Record<ServiceName, number>;
  started.services.forEach((service, i) => (pids[plans[i].service] = service.process.pid ?? 0));
  if (placement.direct) return { variant, clientAddress: `${placement.hosts.orchestrator}:${ports.orchestrator}`, pids, started };
  return { variant, clientAddress: proxies.orchestrator.address, proxies, pids, started };
}

/** Starts the variants' stacks side by side (in parallel), so they can be interleaved; all variants unless told. */
export async function startStacks(placement: Placement, options: StackOptions, variants: readonly Variant[] = VARIANTS): Promise<Stacks> {
  const settled = await Promise.allSettled(variants.map((variant) => startStack(variant, placement, options)));
  const stacks = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    await stopStacks(stacks);
    throw failure.reason;
  }
  return Object.fromEntries(stacks.map((stack) => [stack.variant, stack]));
}

export async function stopStacks(stacks: Iterable<Stack>): Promise<void> {
  for (const stack of stacks) {
    await stack.started.stop();
    await Promise.all(Object.values(stack.proxies ?? {}).map((proxy) => proxy.close()));
  }
}
