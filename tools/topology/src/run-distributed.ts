// `nx run topology:distributed --protocol grpc|rest [--rate 100mbit]`: each service in its own
// network namespace with its own IP, the client outside; results in results/distributed/<protocol>.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, type Protocol } from '@imagepipeline/config';
import { canCreateNamespaces, createTestNetwork } from './network-namespaces';
import { planServices } from './service-plan';
import { withServices } from './with-services';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'grpc' },
    rate: { type: 'string' },
    input: { type: 'string', default: join(root, 'samples') },
    out: { type: 'string', default: join(root, 'results') },
    'skip-build': { type: 'boolean', default: false },
  },
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

const network = await createTestNetwork(values.rate ? { rate: values.rate } : undefined);
let exitCode = 1;
try {
  const services = planServices(protocol, network.hosts, { bindAll: true });
  process.stderr.write(`test hosts: ${JSON.stringify(network.hosts)}${values.rate ? `, links shaped to ${values.rate}` : ''}\n`);
  exitCode = await withServices(
    {
      protocol,
      services,
      root,
      logDir: join(values.out, 'logs/distributed', protocol),
      launch: (plan, bundle) => ({ command: 'ip', args: ['netns', 'exec', network.namespaces[plan.service], process.execPath, bundle] }),
    },
    () =>
      new Promise<number>((resolve) => {
        const orchestrator = `${network.hosts.orchestrator}:${DEFAULT_PORTS[protocol].orchestrator}`;
        const client = spawn(
          process.execPath,
          [join(root, 'dist/apps/pipeline-cli/main.mjs'), '--protocol', protocol, '--topology', 'distributed',
            '--orchestrator', orchestrator, '--input', values.input, '--out', values.out],
          { cwd: root, stdio: 'inherit' },
        );
        client.once('exit', (code) => resolve(code ?? 1));
      }),
  );
} finally {
  await network.teardown();
}
process.exit(exitCode);
