import type { Protocol } from '@imagepipeline/config';
import { prepareLocalTls } from './local-tls';
import { createTestNetwork, type LinkShape, type TestNetwork } from './network-namespaces';
import { planServices, type ServicePlan } from './service-plan';
import { withServices, type StartedServices } from './with-services';

export interface DistributedRun {
  protocol: Protocol;
  /** Repository root: built apps are in `dist/apps/<app>/main.mjs` below it. */
  root: string;
  logDir: string;
  shape?: LinkShape;
  /** Background-remover replicas, each on a host of its own (default 1). */
  backgroundReplicas?: number;
  /** Environment of every service. */
  env?: Record<string, string>;
  /** Mutual TLS and tokens on every hop, with credentials made for the network's hosts. */
  tls?: boolean;
  log?: (line: string) => void;
  /** Runs once the network is up and the services planned, before any starts (e.g. to add relays). */
  prepare?: (plans: ServicePlan[], network: TestNetwork) => Promise<void>;
}

/** What `body` gets: the network, the plans, and the started processes (`services[i]` runs `plans[i]`). */
export interface DistributedServices {
  network: TestNetwork;
  plans: ServicePlan[];
  started: StartedServices;
  /** The pipeline client's TLS and token flags (none without `tls`). */
  clientArgs: string[];
}

/**
 * Builds the network-namespace hosts, starts every service in its host's namespace, runs `body`,
 * then stops the services and tears the network down, whatever happens.
 */
export async function withDistributedServices<T>(run: DistributedRun, body: (services: DistributedServices) => Promise<T>): Promise<T> {
  const network = await createTestNetwork(run.shape, { backgroundReplicas: run.backgroundReplicas });
  // The certificate names every host, and the gateway where relays listen.
  const tls = run.tls ? await prepareLocalTls([...Object.values(network.hosts), ...network.backgroundRemovers, network.gateway]) : undefined;
  try {
    const env = { ...run.env, ...tls?.env };
    const plans = planServices(run.protocol, network.hosts, { bindAll: true, env, backgroundHosts: network.backgroundRemovers });
    await run.prepare?.(plans, network);
    return await withServices(
      {
        protocol: run.protocol,
        services: plans,
        root: run.root,
        logDir: run.logDir,
        log: run.log,
        security: tls?.probes,
        launch: (plan, bundle) => ({ command: 'ip', args: ['netns', 'exec', network.namespaceOf[plan.host], process.execPath, bundle] }),
      },
      (started) => body({ network, plans, started, clientArgs: tls?.clientArgs ?? [] }),
    );
  } finally {
    await tls?.remove();
    await network.teardown();
  }
}
