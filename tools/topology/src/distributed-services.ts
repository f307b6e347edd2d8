import type { Protocol } from '@imagepipeline/config';
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
  log?: (line: string) => void;
  /** Runs once the network is up and the services planned, before any starts (e.g. to add relays). */
  prepare?: (plans: ServicePlan[], network: TestNetwork) => Promise<void>;
}

/** What `body` gets: the network, the plans, and the started processes (`services[i]` runs `plans[i]`). */
export interface DistributedServices {
  network: TestNetwork;
  plans: ServicePlan[];
  started: StartedServices;
}

/**
 * Builds the network-namespace hosts, starts every service in its host's namespace, runs `body`,
 * then stops the services and tears the network down, whatever happens.
 */
export async function withDistributedServices<T>(run: DistributedRun, body: (services: DistributedServices) => Promise<T>): Promise<T> {
  const network = await createTestNetwork(run.shape, { backgroundReplicas: run.backgroundReplicas });
  try {
    const plans = planServices(run.protocol, network.hosts, { bindAll: true, env: run.env, backgroundHosts: network.backgroundRemovers });
    await run.prepare?.(plans, network);
    return await withServices(
      {
        protocol: run.protocol,
        services: plans,
        root: run.root,
        logDir: run.logDir,
        log: run.log,
        launch: (plan, bundle) => ({ command: 'ip', args: ['netns', 'exec', network.namespaceOf[plan.host], process.execPath, bundle] }),
      },
      (started) => body({ network, plans, started }),
    );
  } finally {
    await network.teardown();
  }
}
