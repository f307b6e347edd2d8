// `npm start`: build the apps, start the local topology of one protocol as child processes, run the
// pipeline client on samples/ (or the options given), stop the services, say where results are.
// `npm start -- --tls`: the same with mutual TLS and tokens on every hop, credentials made at start.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseClientOptions, USAGE, UsageError, type ClientOptions } from '@imagepipeline/client';
import { prepareLocalTls } from './local-tls';
import { LOCAL_HOSTS, planServices } from './service-plan';
import { withServices } from './with-services';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tls = process.argv.includes('--tls');
const clientArgs = process.argv.slice(2).filter((arg) => arg !== '--tls');
const options = parseOrExit(clientArgs);
if (options.help) {
  process.stdout.write(`${USAGE}\nnpm start also takes:\n  --tls                       mutual TLS and tokens on every hop, with credentials made for this run\n`);
  process.exit(0);
}

const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '-p', ...planServices(options.protocol, LOCAL_HOSTS).map((s) => s.app), 'pipeline-cli', '--outputStyle=static'],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const exitCode = await runClientWithServices().catch((error: Error) => {
  process.stderr.write(`npm start: ${error.message}\n`);
  return 1;
});
process.exit(exitCode);

async function runClientWithServices(): Promise<number> {
  const logDir = join(root, 'results/logs/local', options.protocol);
  const secured = tls ? await prepareLocalTls() : undefined;
  try {
    const services = planServices(options.protocol, LOCAL_HOSTS, { env: secured?.env });
    return await withServices({ protocol: options.protocol, services, root, logDir, security: secured?.probes }, () =>
      runClient([...clientArgs, ...(secured?.clientArgs ?? [])]),
    );
  } finally {
    await secured?.remove();
  }
}

/** Runs the built pipeline client in the foreground; resolves with its exit code. */
function runClient(args: string[]): Promise<number> {
  return new Promise<number>((resolve) => {
    const client = spawn(process.execPath, [join(root, 'dist/apps/pipeline-cli/main.mjs'), ...args], { cwd: root, stdio: 'inherit' });
    client.once('exit', (code) => resolve(code ?? 1));
  });
}

function parseOrExit(args: string[]): ClientOptions {
  try {
    return parseClientOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}
