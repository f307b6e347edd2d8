// `nx run topology:distributed`: each service in its own network namespace with its own IP, the
// client outside; results in results/distributed/<protocol>. Options: USAGE below.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORTS, parseCommandLine, type Protocol } from '@imagepipeline/config';
import { startCountingProxy, type CountingProxy } from './counting-relay';
import { withDistributedServices } from './distributed-services';
import { canCreateNamespaces } from './network-namespaces';
import { planServices } from './service-plan';

/** Relays listen at the service's port plus this, on the bridge's gateway address. */
const RELAY_PORT_OFFSET = 10_000;
const root = fileURLToPath(new URL('../../..', import.meta.url));
const USAGE = `usage: npx nx run topology:distributed [--protocol grpc|rest] [--rate 100mbit] [--delay-ms 2] [--tls]
                                          [--background-replicas N] [--input DIR] [--out DIR] [--skip-build]

Runs each service in its own Linux network namespace with its own IP on a bridge (needs root and
iproute2), sends the photos through it from outside, writes <out>/distributed/<protocol>/ and tears
the network down, also when a step fails. A full run (build, then samples/) takes about 30 s; a short run
(--skip-build) about 10 s.

  --protocol grpc|rest  which services (default grpc)
  --rate RATE           shape every link with tbf, e.g. 100mbit
  --delay-ms N          add N ms each way through a relay per service (this kernel has no netem)
  --background-replicas N
                        background removers, each on a host of its own (default 1, at most 8);
                        the orchestrator's BACKGROUND_ADDR lists them all
  --tls                 mutual TLS and tokens on every hop, with credentials made for this run
  --input DIR           photos to send (default samples/)
  --out DIR             results folder (default results/)
  --skip-build          use the apps already built in dist/
  -h, --help            this text
`;
const values = parseCommandLine(USAGE, {
  protocol: { type: 'string', default: 'grpc' },
  rate: { type: 'string' },
  'delay-ms': { type: 'string' },
  'background-replicas': { type: 'string', default: '1' },
  input: { type: 'string', default: join(root, 'samples') },
  out: { type: 'string', default: join(root, 'results') },
  'skip-build': { type: 'boolean', default: false },
  tls: { type: 'boolean', default: false },
});
if (values.protocol !== 'grpc' && values.protocol !== 'rest') {
  process.stderr.write(`--protocol must be grpc or rest, got "${values.protocol}"\n`);
  process.exit(2);
}
const protocol: Protocol = values.protocol;
const support = await canCreateNamespaces();
if (!support.ok) {
  process.stderr.write(`cannot run the distributed topology here: ${support.reason}\n`);
  process.exit(3);
}

if (!values['skip-build']) {
  const apps = planServices(protocol, {} as never).map((plan) => plan.app);
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...apps, 'pipeline-cli', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const delayMs = Number(values['delay-ms'] ?? 0);
if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > 1000) {
  process.stderr.write(`--delay-ms must be a number of milliseconds from 0 to 1000, got "${values['delay-ms']}"\n`);
  process.exit(2);
}

const backgroundReplicas = Number(values['background-replicas']);
if (!Number.isInteger(backgroundReplicas) || backgroundReplicas < 1 || backgroundReplicas > 8) {
  process.stderr.write(`--background-replicas must be a whole number from 1 to 8, got "${values['background-replicas']}"\n`);
  process.exit(2);
}

const relays: CountingProxy[] = [];
/** Each service's `host:port` → the relay in front of it, when there is a delay. */
const addressOf = new Map<string, string>();
let exitCode = 1;
try {
  exitCode = await withDistributedServices(
    {
      protocol,
      root,
      logDir: join(values.out, 'logs/distributed', protocol),
      shape: values.rate ? { rate: values.rate } : undefined,
      backgroundReplicas,
      tls: values.tls,
      async prepare(services, network) {
        // No netem on this kernel: a delay is added by relays in this namespace, one per service
        // process, that hold every chunk for `delayMs` each way. The orchestrator and the client
        // talk to the relays.
        if (delayMs > 0) {
          for (const [index, plan] of services.entries()) {
            // Replicas share a port, each on its own host; their relays share the gateway: 100 apart.
            const earlierReplicas = services.slice(0, index).filter((other) => other.port === plan.port).length;
            const relay = await startCountingProxy({
              listenHost: network.gateway,
              port: plan.port + RELAY_PORT_OFFSET + 100 * earlierReplicas,
              target: { host: plan.host, port: plan.port },
              delayMs,
            });
            relays.push(relay);
            addressOf.set(`${plan.host}:${plan.port}`, relay.address);
          }
          const orchestratorPlan = services.find((plan) => plan.service === 'orchestrator')!;
          for (const [name, value] of Object.entries(orchestratorPlan.env)) {
            orchestratorPlan.env[name] = value.split(',').map((address) => addressOf.get(address) ?? address).join(',');
          }
        }
        const shaping = [
          values.rate && `links shaped to ${values.rate}`,
          delayMs > 0 && `${delayMs} ms added each way by relays`,
          values.tls && 'mutual TLS and tokens on every hop',
        ].filter(Boolean);
        const replicas = backgroundReplicas > 1 ? `, background removers on ${network.backgroundRemovers.join(', ')}` : '';
        process.stderr.write(`test hosts: ${JSON.stringify(network.hosts)}${replicas}${shaping.length ? `, ${shaping.join(', ')}` : ''}\n`);
      },
    },
    ({ network, clientArgs }) =>
      new Promise<number>((resolve) => {
        const direct = `${network.hosts.orchestrator}:${DEFAULT_PORTS[protocol].orchestrator}`;
        const orchestrator = addressOf.get(direct) ?? direct;
        const client = spawn(
          process.execPath,
          [join(root, 'dist/apps/pipeline-cli/main.mjs'), '--protocol', protocol, '--topology', 'distributed',
            '--orchestrator', orchestrator, '--input', values.input, '--out', values.out, ...clientArgs],
          { cwd: root, stdio: 'inherit' },
        );
        client.once('exit', (code) => resolve(code ?? 1));
      }),
  );
} finally {
  await Promise.all(relays.map((relay) => relay.close()));
}
process.exit(exitCode);
