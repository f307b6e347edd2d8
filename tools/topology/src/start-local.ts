// `npm start`: build the apps, start the local topology of one protocol as child processes, run the
// pipeline client on samples/ (or the options given), stop the services, say where results are.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseClientOptions, USAGE, UsageError, type ClientOptions } from '@imagepipeline/client';
import { LOCAL_HOSTS, planServices } from './service-plan';
import { withServices } from './with-services';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const clientArgs = process.argv.slice(2);
const options = parseOrExit(clientArgs);
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const services = planServices(options.protocol, LOCAL_HOSTS);

const build = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'build', '-p', ...services.map((s) => s.app), 'pipeline-cli', '--outputStyle=static'],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const exitCode = await runClientWithServices().catch((error: Error) => {
  process.stderr.write(`npm start: ${error.message}\n`);
  return 1;
});
process.exit(exitCode);

function runClientWithServices(): Promise<number> {
  const logDir = join(root, 'results/logs/local', options.protocol);
  return withServices({ protocol: options.protocol, services, root, logDir }, () => runClient(clientArgs));
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
